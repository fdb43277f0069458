"""Logging in and out, and where ``/`` leads."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from crm.selectors.workspaces import memberships_of
from crm.web.access import LAST_WORKSPACE_KEY, signed_in_user
from crm.web.forms.login import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Reopen the last workspace, else the first one; a user without any sees how to get one."""
    memberships = list(memberships_of(signed_in_user(request)))
    slugs = [m.workspace.slug for m in memberships]
    last = request.session.get(LAST_WORKSPACE_KEY)
    if last in slugs:
        return redirect("crm:dashboard", ws=last)
    if slugs:
        return redirect("crm:dashboard", ws=slugs[0])
    return render(request, "crm/no_workspace.html")
