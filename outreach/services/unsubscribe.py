"""Unsubscribing through the signed link of an email (``/u/<token>/``).

Opening the link only shows who would be unsubscribed: security scanners and mail filters open
links by themselves. The address is suppressed by an RFC 8058 one-click POST or by the button of
that confirmation page, whose form carries a proof derived from the token.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from crm.actors import Actor
from crm.models import ActivityKind, Lead
from crm.services.activities import activity_record
from outreach.events import email_event_record
from outreach.models import (
    LIVE_STATUSES,
    Enrollment,
    EnrollmentStatus,
    Suppression,
    SuppressionReason,
)
from outreach.rendering.compose import unsubscribe_token_read
from outreach.services.suppression import suppression_add

FORM_PROOF_SALT = "outreach.unsubscribe.form"


def unsubscribe_lead_for_token(*, token: str) -> Lead | None:
    """The lead a genuine token names (with an address), else None; changes nothing."""
    ids = unsubscribe_token_read(token)
    if ids is None:
        return None
    workspace_id, lead_id = ids
    lead = (
        Lead.objects.filter(workspace_id=workspace_id, pk=lead_id)
        .select_related("workspace")
        .first()
    )
    if lead is None or not lead.email:
        return None
    return lead


def unsubscribe_form_proof(*, token: str) -> str:
    """The hidden value the confirmation page's button posts back with the token."""
    return salted_hmac(FORM_PROOF_SALT, token, algorithm="sha256").hexdigest()[:32]


def unsubscribe_form_proof_valid(*, token: str, proof: str) -> bool:
    return bool(proof) and constant_time_compare(proof, unsubscribe_form_proof(token=token))


@transaction.atomic
def unsubscribe_with_token(*, token: str) -> Lead | None:
    """Suppress the address an email's unsubscribe link names and stop its sequences.

    Returns the lead, or None for a token that is forged or names nobody. Safe to repeat: the
    second click changes nothing and logs nothing. The caller decides that the request really
    asks to unsubscribe (one-click body or the confirmation form).
    """
    lead = unsubscribe_lead_for_token(token=token)
    if lead is None or not lead.email:
        return None
    workspace_id = lead.workspace_id
    new = not Suppression.objects.filter(workspace_id=workspace_id, value=lead.email).exists()
    suppression_add(
        workspace=lead.workspace,
        value=lead.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        note="Unsubscribe link",
    )
    Enrollment.objects.filter(lead=lead, status__in=LIVE_STATUSES).update(
        status=EnrollmentStatus.UNSUBSCRIBED, stop_reason="Unsubscribe link", next_send_at=None
    )
    if new:
        activity_record(
            lead=lead,
            kind=ActivityKind.UNSUBSCRIBED,
            actor=Actor.system("unsubscribe link"),
            payload={"by": "link", "address": lead.email},
        )
        email_event_record(
            type="email.unsubscribed",
            lead=lead,
            workspace_id=workspace_id,
            actor=Actor.system("unsubscribe link"),
            data={"unsubscribe": {"by": "link", "address": lead.email}},
        )
    return lead
