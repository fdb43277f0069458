"""Workspace settings: the user's API keys (token shown once), the team, custom fields.

Everyone sees the page; owners and admins change the team and the custom fields. A new member
is invited by email and chooses their own password (crm.services.invitations).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.models import ApiKey, CustomFieldDefinition, Role
from crm.people import display_name
from crm.selectors.records import api_keys_of
from crm.services.api_keys import api_key_create, api_key_revoke
from crm.services.custom_fields import custom_field_define
from crm.services.invitations import invitation_pending, invitation_send, team_member_invite
from crm.services.workspaces import team_member_change
from crm.web.access import signed_in_user, workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.forms.records import ApiKeyForm, CustomFieldForm, MemberForm

# The new token survives one redirect in the session, then is gone for good.
NEW_TOKEN_KEY = "kindling_new_api_token"


def _is_admin(request: HttpRequest) -> bool:
    return request.membership.role in (Role.OWNER, Role.ADMIN)  # type: ignore[attr-defined]


def _render(
    request: HttpRequest,
    form: ApiKeyForm | None = None,
    *,
    member_form: MemberForm | None = None,
    field_form: CustomFieldForm | None = None,
    status: int = 200,
) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    memberships = workspace.memberships.select_related("user").order_by("user__email")
    return render(
        request,
        "crm/settings/index.html",
        {
            "keys": api_keys_of(workspace=workspace, user=signed_in_user(request)),
            "new_token": request.session.pop(NEW_TOKEN_KEY, None),
            "memberships": memberships,
            "pending": {m.user_id for m in memberships if invitation_pending(m.user)},
            "roles": Role.choices,
            "is_admin": _is_admin(request),
            "is_owner": request.membership.role == Role.OWNER,  # type: ignore[attr-defined]
            "form": form or ApiKeyForm(),
            "member_form": member_form or MemberForm(),
            "field_form": field_form or CustomFieldForm(),
            "custom_fields": CustomFieldDefinition.objects.filter(workspace=workspace).order_by(
                "entity", "label"
            ),
        },
        status=status,
    )


def _refuse_unless_admin(request: HttpRequest) -> HttpResponse | None:
    if _is_admin(request):
        return None
    messages.error(request, "Only owners and admins change the team and the custom fields.")
    return redirect("crm:settings", ws=request.workspace.slug)  # type: ignore[attr-defined]


@workspace_view
def settings_page(request: HttpRequest) -> HttpResponse:
    return _render(request)


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
        return _render(request, form, status=422)
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


@require_POST
@workspace_view
def member_add(request: HttpRequest) -> HttpResponse:
    """Invite a person by email (they choose their password from the link) or change a role."""
    if refused := _refuse_unless_admin(request):
        return refused
    workspace = request.workspace  # type: ignore[attr-defined]
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _render(request, member_form=form, status=422)
    role = form.cleaned_data["role"]
    try:
        invitation = team_member_invite(
            workspace=workspace,
            by=signed_in_user(request),
            email=form.cleaned_data["email"],
            name=form.cleaned_data.get("name", ""),
            role=role,
            site_url=request.build_absolute_uri("/"),
        )
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return _render(request, member_form=form, status=exc.status)
    user = invitation.membership.user
    as_role = Role(role).label.lower()
    if invitation.failed:
        messages.error(
            request,
            f"{user.email} was added as {as_role}, but the invitation email could not be sent "
            "(see EMAIL_BACKEND). Send it again from the team list.",
        )
    elif invitation.invited:
        messages.success(
            request,
            f"Invitation sent to {user.email}: they join as {as_role} once they choose a password.",
        )
    else:
        messages.success(request, f"{display_name(user)} is {as_role} of {workspace.name}.")
    return redirect("crm:settings", ws=workspace.slug)


@require_POST
@workspace_view
def member_invite_again(request: HttpRequest, user_id: int) -> HttpResponse:
    """Send a pending member's invitation again (a fresh link)."""
    if refused := _refuse_unless_admin(request):
        return refused
    workspace = request.workspace  # type: ignore[attr-defined]
    membership = get_object_or_404(workspace.memberships.select_related("user"), user_id=user_id)
    try:
        sent = invitation_send(
            membership=membership,
            by=signed_in_user(request),
            site_url=request.build_absolute_uri("/"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("crm:settings", ws=workspace.slug)
    if sent:
        messages.success(request, f"Invitation sent again to {membership.user.email}.")
    else:
        messages.error(request, "The invitation email could not be sent (see EMAIL_BACKEND).")
    return redirect("crm:settings", ws=workspace.slug)


@require_POST
@workspace_view
def member_change(request: HttpRequest, user_id: int) -> HttpResponse:
    """Change a member's role (``role``) or take them out (``remove``)."""
    if refused := _refuse_unless_admin(request):
        return refused
    workspace = request.workspace  # type: ignore[attr-defined]
    membership = get_object_or_404(workspace.memberships.select_related("user"), user_id=user_id)
    role = request.POST.get("role", "")
    remove = "remove" in request.POST
    try:
        team_member_change(
            workspace=workspace,
            by=signed_in_user(request),
            membership=membership,
            role=None if remove else role,
        )
        if remove:
            messages.success(request, f"{display_name(membership.user)} left {workspace.name}.")
        else:
            who = display_name(membership.user)
            messages.success(request, f"{who} is now {Role(role).label.lower()}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("crm:settings", ws=workspace.slug)


@require_POST
@workspace_view
def custom_field_new(request: HttpRequest) -> HttpResponse:
    """Define a custom field on leads or companies (typed: text, number, date, choice)."""
    if refused := _refuse_unless_admin(request):
        return refused
    workspace = request.workspace  # type: ignore[attr-defined]
    form = CustomFieldForm(request.POST)
    if not form.is_valid():
        return _render(request, field_form=form, status=422)
    try:
        definition = custom_field_define(workspace=workspace, **form.service_data())
    except DomainError as exc:
        form_add_domain_error(form, exc)
        if not form.errors:
            form.add_error(None, exc.message)
        return _render(request, field_form=form, status=exc.status)
    messages.success(request, f"Custom field “{definition.label}” added.")
    return redirect("crm:settings", ws=workspace.slug)
