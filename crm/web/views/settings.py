"""Workspace settings: the user's API keys (token shown once) and who is on the team."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.models import ApiKey
from crm.selectors.records import api_keys_of
from crm.selectors.workspaces import workspace_members
from crm.services.api_keys import api_key_create, api_key_revoke
from crm.web.access import signed_in_user, workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.forms.records import ApiKeyForm

# The new token survives one redirect in the session, then is gone for good.
NEW_TOKEN_KEY = "kindling_new_api_token"


def _render(request: HttpRequest, form: ApiKeyForm) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    members = workspace_members(workspace=workspace)
    roles = {m.user_id: m.get_role_display() for m in workspace.memberships.all()}
    return render(
        request,
        "crm/settings/index.html",
        {
            "keys": api_keys_of(workspace=workspace, user=signed_in_user(request)),
            "new_token": request.session.pop(NEW_TOKEN_KEY, None),
            "members": [(u, roles.get(u.pk, "")) for u in members],
            "form": form,
        },
    )


@workspace_view
def settings_page(request: HttpRequest) -> HttpResponse:
    return _render(request, ApiKeyForm())


@require_POST
@workspace_view
def api_key_new(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = ApiKeyForm(request.POST)
    form.is_valid()
    try:
        key, token = api_key_create(
            workspace=workspace,
            user=signed_in_user(request),
            name=form.cleaned_data.get("name", ""),
        )
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return _render(request, form)
    request.session[NEW_TOKEN_KEY] = token
    messages.success(
        request, f"API key “{key.name}” created. Copy it now: it will not be shown again."
    )
    return redirect("crm:settings", ws=workspace.slug)


@require_POST
@workspace_view
def api_key_revoke_view(request: HttpRequest, key_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    # A key is the user's own: someone else's, or another workspace's, is not found.
    key = get_object_or_404(ApiKey, pk=key_id, workspace=workspace, user=signed_in_user(request))
    api_key_revoke(key=key)
    messages.success(request, f"API key “{key.name}” was revoked.")
    return redirect("crm:settings", ws=workspace.slug)
