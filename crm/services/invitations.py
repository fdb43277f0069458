"""Inviting people to a workspace: an email with a link to choose their password.

The link is Django's password-reset token (crm.web.views.accounts accepts it), so it works once,
expires after ``PASSWORD_RESET_TIMEOUT`` and dies as soon as the password is set.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from crm.errors import ValidationFailed
from crm.models import Membership, Workspace
from crm.people import display_name
from crm.services.workspaces import team_member_add

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    # An email went out (the person has no password yet); False when they already had one.
    invited: bool
    # The email could not be handed to the mail server (EMAIL_BACKEND); the admin may resend.
    failed: bool = False


def invitation_pending(user: User) -> bool:
    """Invited but not joined yet: no password chosen, never logged in."""
    return not user.has_usable_password() and user.last_login is None


def team_member_invite(
    *, workspace: Workspace, by: User, email: str, role: str, site_url: str, name: str = ""
) -> Invitation:
    """Add a person to the team; someone without a password gets an invitation by email.

    ``site_url`` is the origin the link points to (``https://crm.example.com``).
    """
    membership = team_member_add(workspace=workspace, by=by, email=email, role=role, name=name)
    if not invitation_pending(membership.user):
        return Invitation(membership, invited=False)
    sent = invitation_send(membership=membership, by=by, site_url=site_url)
    return Invitation(membership, invited=True, failed=not sent)


def invitation_send(*, membership: Membership, by: User, site_url: str) -> bool:
    """Email the member a link to choose their password; False when the mail server refused."""
    user = membership.user
    if not invitation_pending(user):
        raise ValidationFailed(f"{display_name(user)} has joined already.")
    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "workspace": membership.workspace,
        "inviter": display_name(by),
        "link": site_url.rstrip("/") + path,
        "timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    subject = " ".join(render_to_string("registration/invitation_subject.txt", context).split())
    body = render_to_string("registration/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("Invitation to %s not sent: %s", user.email, exc)
        return False
    return True
