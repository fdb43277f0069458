"""The export page: pick a list or tag and the columns, download a CSV."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crm.errors import DomainError
from crm.selectors.leads import LeadFilters, leads_count, leads_filtered
from crm.selectors.records import lists_all, tags_all
from crm.web.access import workspace_view
from crm.web.extensions.filters import LEAD_FILTERS
from crm.web.forms.leads import LeadFilterForm
from integrations.exports.columns import (
    DEFAULT_COLUMNS,
    FIXED_COLUMNS,
    SLOT_COLUMNS,
    columns_resolve,
)
from integrations.exports.download import leads_csv_download


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# The leads table's filters that the export page carries as they are (list and tag are shown).
CARRIED_FILTERS = ("q", "owner", "company", "country", "created_after", "created_before")


def _filters(request: HttpRequest, workspace) -> LeadFilters:  # type: ignore[no-untyped-def]
    """The leads table's query string (``list``, ``tag``, ``owner``…, or the API's ``list_id``)."""
    form = LeadFilterForm(request.GET, workspace=workspace)
    filters = form.filters()
    list_id, tag_id = _int(request.GET.get("list_id")), _int(request.GET.get("tag_id"))
    return replace(
        filters,
        list_id=list_id if list_id is not None else filters.list_id,
        tag_id=tag_id if tag_id is not None else filters.tag_id,
    )


@workspace_view
def export_leads(request: HttpRequest) -> HttpResponse:
    """GET without ``download``: the form, opened from the leads table with its filters;
    with ``download``: the CSV stream of exactly the leads the table showed."""
    workspace = request.workspace  # type: ignore[attr-defined]
    columns = request.GET.getlist("columns")
    filters = _filters(request, workspace)
    if "download" in request.GET:
        try:
            chosen = columns_resolve(workspace=workspace, names=columns or None)
        except DomainError as exc:
            return HttpResponse(exc.message, status=422)
        leads = leads_filtered(workspace=workspace, filters=filters)
        return leads_csv_download(leads=leads, columns=chosen)  # type: ignore[return-value]
    choices = [(name, label) for name, (label, _) in FIXED_COLUMNS.items()]
    choices += [*list(SLOT_COLUMNS.items()), ("tags", "Tags"), ("lists", "Lists")]
    names = (*CARRIED_FILTERS, *(f.key for f in LEAD_FILTERS.all()))
    carried = [(k, request.GET[k]) for k in names if request.GET.get(k, "").strip()]
    count, more = leads_count(workspace=workspace, filters=filters)
    return render(
        request,
        "integrations/exports/leads.html",
        {
            "choices": choices,
            "defaults": DEFAULT_COLUMNS,
            "lists": lists_all(workspace=workspace),
            "tags": tags_all(workspace=workspace),
            "chosen_list": filters.list_id,
            "chosen_tag": filters.tag_id,
            "carried": carried,
            "count": count,
            "count_more": more,
        },
    )
