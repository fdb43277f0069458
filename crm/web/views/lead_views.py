"""The leads table's column chooser and saved views (a person's own, in one workspace)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.selectors.lead_views import lead_view_get
from crm.services.lead_views import lead_view_delete, lead_view_save, table_columns_choose
from crm.web.access import signed_in_user, workspace_view
from crm.web.forms.leads import SORT_LABELS
from crm.web.responses import redirect_back


def _leads_url(request: HttpRequest) -> str:
    return reverse("crm:leads", kwargs={"ws": request.workspace.slug})  # type: ignore[attr-defined]


@require_POST
@workspace_view
def columns_choose(request: HttpRequest) -> HttpResponse:
    """Remember the ticked columns for this person; "reset" goes back to the defaults."""
    columns = [] if "reset" in request.POST else request.POST.getlist("columns")
    try:
        table_columns_choose(
            workspace=request.workspace,  # type: ignore[attr-defined]
            user=signed_in_user(request),
            columns=columns,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect_back(request, _leads_url(request))


@require_POST
@workspace_view
def view_save(request: HttpRequest) -> HttpResponse:
    """Save the current filters, columns and sort under a name, then open the view."""
    sort = request.POST.get("sort", "")
    try:
        view = lead_view_save(
            workspace=request.workspace,  # type: ignore[attr-defined]
            user=signed_in_user(request),
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
            columns=request.POST.getlist("columns"),
            sort=sort if sort in SORT_LABELS else "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect_back(request, _leads_url(request))
    messages.success(request, f"Saved the view “{view.name}”.")
    return redirect(_view_url(request, view.pk))


@workspace_view
def view_open(request: HttpRequest, view_id: int) -> HttpResponse:
    """The leads table with the view's filters, sort and columns."""
    return redirect(_view_url(request, view_id))


def _view_url(request: HttpRequest, view_id: int) -> str:
    view = lead_view_get(
        workspace=request.workspace,  # type: ignore[attr-defined]
        user=signed_in_user(request),
        view_id=view_id,
    )
    params = [p for p in (view.query, f"sort={view.sort}" if view.sort else "") if p]
    params.append(f"view={view.pk}")
    return f"{_leads_url(request)}?{'&'.join(params)}"


@require_POST
@workspace_view
def view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = lead_view_get(
        workspace=request.workspace,  # type: ignore[attr-defined]
        user=signed_in_user(request),
        view_id=view_id,
    )
    lead_view_delete(view=view)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect(_leads_url(request))
