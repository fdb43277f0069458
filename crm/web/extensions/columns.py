"""Columns of the leads table (the leads page, a list's page).

A column reads its value from the lead, from what ``prepare`` adds to the page's query
(``select_related``, an annotation), or from ``load``, which fetches the whole page's values in
one query. Never one query per row: the table is measured at a million leads.

A cell is drawn by its ``template`` or, faster, by ``render`` (a function returning escaped
HTML, e.g. built with ``format_html``): a page has hundreds of cells, and an ``{% include %}``
per cell costs more than the page's queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from crm.models import Lead, Workspace
from crm.web.extensions.registry import Registry


@dataclass(frozen=True)
class LeadColumn:
    key: str
    label: str
    # Renders one cell; its context has ``lead``, ``value`` and ``workspace``. Unused (may be
    # "") when ``render`` is given.
    template: str
    # Added to the page's query (annotations, select_related); runs on at most one page of rows.
    prepare: Callable[[QuerySet[Lead]], QuerySet[Lead]] | None = None
    # Values for a whole page at once, by lead id (one query), when the query cannot carry them.
    load: Callable[[Workspace, Sequence[Lead]], dict[int, Any]] | None = None
    # The leads selector's sort key this column's header toggles (ascending form), if any.
    sort: str | None = None
    # Shown until a person picks their own columns.
    default: bool = True
    # Always shown (the name that links to the lead): not offered in the column chooser.
    required: bool = False
    order: int = 100
    # Extra classes of the header and the cells (``nowrap``, ``hide-sm``).
    css_class: str = ""
    # Draws a cell without a template: ``render(lead, value, workspace)`` → safe HTML.
    render: Callable[[Lead, Any, Workspace], SafeString] | None = None

    def value_of(self, lead: Lead, loaded: dict[int, Any] | None) -> Any:
        if loaded is not None:
            return loaded.get(lead.pk)
        return getattr(lead, self.key, None)


LEAD_COLUMNS: Registry[LeadColumn] = Registry("leads-table columns")


@dataclass(frozen=True)
class Cell:
    column: LeadColumn
    value: Any
    # The cell drawn by the column's ``render``; None when its template draws it.
    html: SafeString | None = None


@dataclass(frozen=True)
class Row:
    lead: Lead
    cells: list[Cell]


def columns_chosen(keys: Sequence[str] | None) -> list[LeadColumn]:
    """The columns to show, in the registry's order: ``keys`` (a person's choice) or the defaults.

    Unknown keys (an app removed since) are dropped; required columns are always in.
    """
    columns = LEAD_COLUMNS.all()
    if not keys:
        return [c for c in columns if c.default or c.required]
    wanted = set(keys)
    return [c for c in columns if c.required or c.key in wanted]


def prepare_page_query(qs: QuerySet[Lead], columns: Sequence[LeadColumn]) -> QuerySet[Lead]:
    for column in columns:
        if column.prepare is not None:
            qs = column.prepare(qs)
    return qs


def table_rows(
    *, workspace: Workspace, leads: Sequence[Lead], columns: Sequence[LeadColumn]
) -> list[Row]:
    """The page's cells: one ``load`` query per column that needs one, whatever the page size."""
    loaded = {
        c.key: c.load(workspace, leads) if leads else {} for c in columns if c.load is not None
    }
    return [
        Row(lead, [_cell(c, lead, loaded.get(c.key), workspace) for c in columns]) for lead in leads
    ]


def _cell(column: LeadColumn, lead: Lead, loaded: dict[int, Any] | None, ws: Workspace) -> Cell:
    value = column.value_of(lead, loaded)
    html = column.render(lead, value, ws) if column.render is not None else None
    return Cell(column, value, html)
