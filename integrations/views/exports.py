"""The export page: pick a list or tag and the columns, download a CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from crm.errors import DomainError
from crm.selectors.leads import LeadFilters, leads_filtered
from crm.selectors.records import lists_all, tags_all
from crm.web.access import workspace_view
from integrations.exports.columns import (
    DEFAULT_COLUMNS,
    FIXED_COLUMNS,
    SLOT_COLUMNS,
    columns_resolve,
)
from integrations.exports.leads_csv import leads_csv_chunks


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@workspace_view
def export_leads(request: HttpRequest) -> HttpResponse:
    """GET without ``download``: the form; with it: the CSV stream."""
    workspace = request.workspace  # type: ignore[attr-defined]
    columns = request.GET.getlist("columns")
    if "download" in request.GET:
        try:
            chosen = columns_resolve(workspace=workspace, names=columns or None)
        except DomainError as exc:
            return HttpResponse(exc.message, status=422)
        filters = LeadFilters(
            q=request.GET.get("q", ""),
            list_id=_int(request.GET.get("list_id")),
            tag_id=_int(request.GET.get("tag_id")),
        )
        leads = leads_filtered(workspace=workspace, filters=filters)
        response = StreamingHttpResponse(
            leads_csv_chunks(leads=leads, columns=chosen), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="leads.csv"'
        return response  # type: ignore[return-value]  # streamed: a million rows
    choices = [(name, label) for name, (label, _) in FIXED_COLUMNS.items()]
    choices += [*list(SLOT_COLUMNS.items()), ("tags", "Tags"), ("lists", "Lists")]
    return render(
        request,
        "integrations/exports/leads.html",
        {
            "choices": choices,
            "defaults": DEFAULT_COLUMNS,
            "lists": lists_all(workspace=workspace),
            "tags": tags_all(workspace=workspace),
        },
    )
