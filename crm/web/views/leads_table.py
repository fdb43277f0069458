"""The leads table shared by the leads page, a list's page and a company's page.

Keyset pagination only goes forward, so "Previous" replays the cursors that led here: the query
string carries them as ``trail`` (dot-separated, "0" for the first page).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict

from crm.errors import ValidationFailed
from crm.models import Workspace
from crm.selectors.leads import LeadFilters, leads_count, leads_page
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


def leads_table_context(
    request: HttpRequest, *, workspace: Workspace, fixed: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the results partial needs. ``fixed`` pins filters the page implies (a list)."""
    form = LeadFilterForm(request.GET, workspace=workspace)
    filters: LeadFilters = form.filters()
    for key, value in (fixed or {}).items():
        setattr(filters, key, value)
    sort = form.chosen_sort()
    cursor = request.GET.get("cursor") or None
    trail = [t for t in request.GET.get("trail", "").split(".") if t][-MAX_TRAIL:]
    try:
        page = leads_page(
            workspace=workspace, filters=filters, sort=sort, cursor=cursor, limit=PAGE_SIZE
        )
    except ValidationFailed:
        # A cursor from another sort or a mangled link: start again from the top.
        cursor, trail = None, []
        page = leads_page(workspace=workspace, filters=filters, sort=sort, limit=PAGE_SIZE)
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

    def sort_url(key: str) -> str:
        target = f"-{key}" if sort == key else key
        return _query(params, sort=target, cursor=None, trail=None)

    return {
        "filter_form": form,
        "filters": filters,
        "leads": page.leads,
        "sort": sort,
        "sort_label": SORT_LABELS[sort],
        "sort_urls": {k: sort_url(k) for k in ("last_name", "created_at", "updated_at")},
        "total": total,
        "capped": capped,
        "next_url": next_url,
        "prev_url": prev_url,
        "first_row": first_row,
        "last_row": first_row + len(page.leads) - 1,
        "has_filters": bool(filters.q) or form.active_filter_count() > 0,
        "current_url": request.get_full_path(),
    }
