"""A person's leads-table preferences: the columns they chose and their saved views."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction

from crm.errors import ValidationFailed
from crm.models import LeadTableLayout, LeadView, Workspace

MAX_COLUMNS = 40
MAX_QUERY = 2000


def _clean_columns(columns: Sequence[str]) -> list[str]:
    keys = [c for c in dict.fromkeys(columns) if isinstance(c, str) and c]
    if len(keys) > MAX_COLUMNS or any(len(k) > 60 for k in keys):
        raise ValidationFailed.field("columns", "Too many columns or a column name too long.")
    return keys


@transaction.atomic
def table_columns_choose(
    *, workspace: Workspace, user: User, columns: Sequence[str]
) -> LeadTableLayout:
    """Remember the columns ``user`` shows in this workspace's leads table (empty = defaults)."""
    layout, _ = LeadTableLayout.objects.update_or_create(
        workspace=workspace, user=user, defaults={"columns": _clean_columns(columns)}
    )
    return layout


@transaction.atomic
def lead_view_save(
    *,
    workspace: Workspace,
    user: User,
    name: str,
    query: str,
    columns: Sequence[str],
    sort: str,
) -> LeadView:
    """Save the table's filters, columns and sort under ``name``; the same name replaces it."""
    clean_name = " ".join((name or "").split())
    if not clean_name:
        raise ValidationFailed.field("name", "A view needs a name.")
    if len(clean_name) > 80:
        raise ValidationFailed.field("name", "At most 80 characters.")
    if len(query) > MAX_QUERY or "\x00" in query:
        raise ValidationFailed.field("query", "These filters cannot be saved.")
    view, _ = LeadView.objects.update_or_create(
        workspace=workspace,
        user=user,
        name=clean_name,
        defaults={"query": query, "columns": _clean_columns(columns), "sort": sort[:40]},
    )
    return view


@transaction.atomic
def lead_view_delete(*, view: LeadView) -> None:
    """Forget a saved view."""
    view.delete()
