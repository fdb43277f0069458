"""Lead lists: the index with how full each is, a new list, and one list's leads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from crm.errors import DomainError
from crm.selectors.records import list_get, lists_all
from crm.services.lists import list_create
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.extensions.bulk_actions import LIST_PAGE
from crm.web.extensions.list_columns import list_figures
from crm.web.forms.records import ListForm
from crm.web.responses import is_htmx
from crm.web.views.leads_table import leads_table_context


@workspace_view
def lists_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    lists = list(lists_all(workspace=workspace))
    figures = list_figures(workspace=workspace, lists=lists)
    for lead_list in lists:
        lead_list.figures = figures[lead_list.pk]  # type: ignore[attr-defined]
    return render(request, "crm/lists/index.html", {"lists": lists})


@workspace_view
def list_new(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = ListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead_list = list_create(workspace=workspace, data=form.service_data())
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"List “{lead_list}” was created.")
            return redirect("crm:list", ws=workspace.slug, list_id=lead_list.pk)
    return render(request, "crm/lists/form.html", {"form": form})


@workspace_view
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    """The list's leads in the leads table, with "remove from list" as the bulk action."""
    workspace = request.workspace  # type: ignore[attr-defined]
    lead_list = list_get(workspace=workspace, list_id=list_id)
    context = leads_table_context(
        request, workspace=workspace, fixed={"list_id": lead_list.pk}, page_kind=LIST_PAGE
    )
    size = lead_list.memberships.count()
    context.update(
        lead_list=lead_list,
        list_size=size,
        fill_percent=min(100, round(100 * size / lead_list.size_limit))
        if lead_list.size_limit
        else None,
    )
    if is_htmx(request):
        return render(request, "crm/leads/_results.html", context)
    return render(request, "crm/lists/detail.html", context)
