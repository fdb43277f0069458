"""Passwords: Django's own reset views in Kindling's look, and accepting an invitation.

An invitation link is a password-reset token for someone who has no password yet; accepting it
sets the password and logs them in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

RESET_DAYS = {"timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    extra_email_context = RESET_DAYS


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"
    extra_context = RESET_DAYS


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Choose a password from the invitation's link, then straight into the workspace."""

    template_name = "registration/invitation_accept.html"
    reset_url_token = "choose-password"
    post_reset_login = True
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = "Join Kindling"
        return context
