"""Figures other apps add to each list on the Lists page ("in sequences", "customers").

``load`` returns every list's value in one query, keyed by list id; a list without a value
shows a dash.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crm.models import LeadList, Workspace
from crm.web.extensions.registry import Registry


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: str
    load: Callable[[Workspace, Sequence[LeadList]], dict[int, Any]]
    # Renders the value; its context has ``lead_list``, ``value`` and ``workspace``.
    template: str = "crm/lists/_figure.html"
    order: int = 100


LIST_COLUMNS: Registry[ListColumn] = Registry("list-page columns")


@dataclass(frozen=True)
class ListFigure:
    column: ListColumn
    value: Any


def list_figures(*, workspace: Workspace, lists: Sequence[LeadList]) -> dict[int, list[ListFigure]]:
    """Each list's extra figures, by list id, one query per registered column."""
    columns = LIST_COLUMNS.all()
    loaded = {c.key: c.load(workspace, lists) if lists else {} for c in columns}
    return {
        lead_list.pk: [ListFigure(c, loaded[c.key].get(lead_list.pk)) for c in columns]
        for lead_list in lists
    }
