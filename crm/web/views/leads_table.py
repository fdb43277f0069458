"""The leads table shared by the leads page, a list's page and a company's page.

Keyset pagination only goes forward, so "Previous" replays the cursors that led here: the query
string carries them as ``trail`` (dot-separated, "0" for the first page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.http import urlencode

from crm.errors import ValidationFailed
from crm.models import Workspace
from crm.selectors.lead_views import lead_view_get, lead_views_of, table_columns_of
from crm.selectors.leads import LeadFilters, leads_count, leads_page
from crm.web.access import signed_in_user
from crm.web.extensions.bulk_actions import LEADS_PAGE, actions_offered
from crm.web.extensions.columns import (
    LEAD_COLUMNS,
    LeadColumn,
    columns_chosen,
    prepare_page_query,
    table_rows,
)
from crm.web.forms.leads import SORT_LABELS, LeadFilterForm

PAGE_SIZE = 50
FIRST_PAGE = "0"
MAX_TRAIL = 200  # pages remembered for "Previous"; beyond that it goes back to the first page


def _query(base: QueryDict, **changes: str | None) -> str:
    params = base.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# Query-string names that page, sort or name a view: not part of what a filter matches.
NOT_FILTERS = {"cursor", "trail", "view", "sort", "partial"}


def _filters_only(base: QueryDict) -> str:
    """The filters of the query string without empty values: ``country=UK&stage=4``."""
    pairs = [
        (key, value)
        for key, values in base.lists()
        if key not in NOT_FILTERS
        for value in values
        if value.strip()
    ]
    return urlencode(pairs)


@dataclass(frozen=True)
class Header:
    column: LeadColumn
    sort_url: str | None
    # "↑", "↓" or "" for the column the table is sorted by.
    arrow: str


def _header(column: LeadColumn, sort: str, sort_url: Callable[[str], str]) -> Header:
    if not column.sort:
        return Header(column, None, "")
    arrow = "↑" if sort == column.sort else "↓" if sort == f"-{column.sort}" else ""
    return Header(column, sort_url(column.sort), arrow)


def leads_table_context(
    request: HttpRequest,
    *,
    workspace: Workspace,
    fixed: dict[str, Any] | None = None,
    page_kind: str = LEADS_PAGE,
) -> dict[str, Any]:
    """Everything the results partial needs. ``fixed`` pins filters the page implies (a list);
    ``page_kind`` picks the bulk actions offered."""
    form = LeadFilterForm(request.GET, workspace=workspace)
    user = signed_in_user(request)
    saved_view = None
    view_id = request.GET.get("view", "")
    if view_id.isdigit():
        saved_view = lead_view_get(workspace=workspace, user=user, view_id=int(view_id))
    chosen = saved_view.columns if saved_view else table_columns_of(workspace=workspace, user=user)
    columns = columns_chosen(chosen)
    filters: LeadFilters = form.filters()
    for key, value in (fixed or {}).items():
        setattr(filters, key, value)
    sort = form.chosen_sort()
    cursor = request.GET.get("cursor") or None
    trail = [t for t in request.GET.get("trail", "").split(".") if t][-MAX_TRAIL:]

    def prepare(qs: Any) -> Any:
        return prepare_page_query(qs, columns)

    try:
        page = leads_page(
            workspace=workspace,
            filters=filters,
            sort=sort,
            cursor=cursor,
            limit=PAGE_SIZE,
            prepare=prepare,
        )
    except ValidationFailed:
        # A cursor from another sort or a mangled link: start again from the top.
        cursor, trail = None, []
        page = leads_page(
            workspace=workspace, filters=filters, sort=sort, limit=PAGE_SIZE, prepare=prepare
        )
    total, capped = leads_count(workspace=workspace, filters=filters)

    params = request.GET.copy()
    params.pop("partial", None)
    next_url = prev_url = None
    if page.next_cursor:
        next_url = _query(
            params, cursor=page.next_cursor, trail=".".join([*trail, cursor or FIRST_PAGE])
        )
    if cursor:
        previous = trail[-1] if trail else FIRST_PAGE
        prev_url = _query(
            params,
            cursor=None if previous == FIRST_PAGE else previous,
            trail=".".join(trail[:-1]) or None,
        )
    page_number = len(trail) + 1 if cursor else 1
    first_row = (page_number - 1) * PAGE_SIZE + 1

    filter_query = _filters_only(params)

    def sort_url(key: str) -> str:
        target = f"-{key}" if sort == key else key
        return _query(params, sort=target, cursor=None, trail=None)

    return {
        "filter_form": form,
        "filters": filters,
        "leads": page.leads,
        "columns": columns,
        "rows": table_rows(workspace=workspace, leads=page.leads, columns=columns),
        "bulk_actions": actions_offered(workspace=workspace, page=page_kind),
        "sort": sort,
        "sort_label": SORT_LABELS[sort],
        "sort_urls": {c.sort: sort_url(c.sort) for c in columns if c.sort},
        "headers": [_header(c, sort, sort_url) for c in columns],
        "column_choices": [(c, c in columns) for c in LEAD_COLUMNS.all() if not c.required],
        "saved_views": list(lead_views_of(workspace=workspace, user=user)),
        "saved_view": saved_view,
        # The filters alone, for "save this view" and "select all N matching".
        "filter_query": filter_query,
        "more_than_page": bool(next_url or prev_url),
        "total": total,
        "capped": capped,
        "next_url": next_url,
        "prev_url": prev_url,
        "first_row": first_row,
        "last_row": first_row + len(page.leads) - 1,
        "has_filters": bool(filters.q) or form.active_filter_count() > 0,
        "current_url": request.get_full_path(),
    }
