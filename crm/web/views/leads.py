"""The leads table, its bulk actions, and the new-lead form."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.actors import Actor
from crm.errors import Conflict, DomainError
from crm.models import Workspace
from crm.selectors.records import list_get
from crm.services.leads import lead_create
from crm.tasks import leads_bulk_action
from crm.web.access import signed_in_user, workspace_view
from crm.web.bulk import INLINE_MAX, id_chunks, matching_leads
from crm.web.errors import form_add_domain_error
from crm.web.extensions.bulk_actions import BULK_ACTIONS, BulkAction, BulkRefused, action_data
from crm.web.forms.leads import BulkForm, LeadForm
from crm.web.responses import is_htmx, redirect_back
from crm.web.selectors import company_names
from crm.web.views.leads_table import leads_table_context


@workspace_view
def leads_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    context = leads_table_context(request, workspace=workspace)
    if is_htmx(request):
        return render(request, "crm/leads/_results.html", context)
    return render(request, "crm/leads/index.html", context)


@workspace_view
def lead_new(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = LeadForm(request.POST or None, workspace=workspace)
    existing_url = None
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data["company_name"] = form.cleaned_data.get("company_name", "")
        try:
            lead, _ = lead_create(
                workspace=workspace, actor=Actor.of_user(signed_in_user(request)), data=data
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
            if isinstance(exc, Conflict) and exc.existing_id:
                existing_url = reverse(
                    "crm:lead", kwargs={"ws": workspace.slug, "lead_id": exc.existing_id}
                )
        else:
            messages.success(request, f"{lead} was added.")
            return redirect("crm:lead", ws=workspace.slug, lead_id=lead.pk)
    return render(
        request,
        "crm/leads/form.html",
        {
            "form": form,
            "existing_url": existing_url,
            "company_names": company_names(workspace=workspace),
        },
    )


@require_POST
@workspace_view
def leads_bulk(request: HttpRequest) -> HttpResponse:
    """Run a registered bulk action (add to list, tag, enroll…) on the ticked leads, or on every
    lead the table's filter matches ("select all N matching")."""
    workspace = request.workspace  # type: ignore[attr-defined]
    back = reverse("crm:leads", kwargs={"ws": workspace.slug})
    form = BulkForm(request.POST)
    action = BULK_ACTIONS.get(form.data.get("action", ""))
    if action is None:
        messages.warning(request, "Choose what to do with the ticked leads.")
        return redirect_back(request, back)
    actor = Actor.of_user(signed_in_user(request))
    data = action_data(request.POST)
    try:
        if form.data.get("select_all") == "1":
            text = _run_on_matching(request, workspace, action, actor, data)
        elif not form.is_valid() or not form.cleaned_data["lead_ids"]:
            messages.warning(request, "Tick at least one lead first.")
            return redirect_back(request, back)
        else:
            text = action.handler(
                workspace=workspace,
                lead_ids=form.cleaned_data["lead_ids"],
                actor=actor,
                data=data,
            )
    except BulkRefused as exc:
        messages.warning(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, text)
    return redirect_back(request, back)


def _run_on_matching(
    request: HttpRequest,
    workspace: Workspace,
    action: BulkAction,
    actor: Actor,
    data: dict[str, str],
) -> str:
    """The action on every lead the posted filter matches: inline, or its first chunk inline
    and the rest as a Celery job."""
    query = request.POST.get("query", "")
    raw_list = request.POST.get("scope_list", "")
    list_id = (
        list_get(workspace=workspace, list_id=int(raw_list)).pk if raw_list.isdigit() else None
    )
    leads = matching_leads(workspace=workspace, query=query, list_id=list_id)
    total = leads.count()
    if total == 0:
        raise BulkRefused("No lead matches these filters any more.")
    if total <= INLINE_MAX:
        ids = list(leads.values_list("pk", flat=True))
        return action.handler(workspace=workspace, lead_ids=ids, actor=actor, data=data)
    first = next(id_chunks(leads))
    text = action.handler(workspace=workspace, lead_ids=first, actor=actor, data=data)
    args = (workspace.pk, signed_in_user(request).pk, action.key, query, list_id, data, first[-1])
    transaction.on_commit(lambda: leads_bulk_action.delay(*args))
    return (
        f"“{action.label}” runs on all {total:,} matching leads: {text} "
        f"The other {total - len(first):,} follow in the background."
    )
