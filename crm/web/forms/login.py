"""The login form, throttled per account and address (crm.throttle)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from crm.throttle import client_ip, login_cool_down, login_failed, login_succeeded


class LoginForm(AuthenticationForm):
    """Django's login form, refusing every attempt (the right password too) during a cool-down."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match. Try again.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()
        ip = client_ip(self.request) if self.request is not None else ""
        wait = login_cool_down(username=username, ip=ip)
        if wait is not None:
            raise forms.ValidationError(wait.message("failed logins"), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failed(username=username, ip=ip)
            raise
        login_succeeded(username=username, ip=ip)
        return cleaned
