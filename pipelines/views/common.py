"""Shared bits of the pipelines pages: reading the board filters from a query string."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from crm.actors import Actor
from crm.models import LeadList, Tag
from crm.selectors.workspaces import workspace_members
from pipelines.selectors.board import BoardFilters, Column


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def filters_from(request: HttpRequest) -> BoardFilters:
    data = request.GET
    return BoardFilters(
        owner_id=_int(data.get("owner")),
        list_id=_int(data.get("list")),
        tag_id=_int(data.get("tag")),
        q=(data.get("q") or "")[:200],
    )


def filter_choices(workspace) -> dict:  # type: ignore[no-untyped-def]
    return {
        "members": list(workspace_members(workspace=workspace)),
        "lead_lists": list(LeadList.objects.filter(workspace=workspace).order_by("name")),
        "tags": list(Tag.objects.filter(workspace=workspace).order_by("name")),
    }


def column_totals_json(columns: list[Column]) -> list[dict]:
    """What the board script needs to refresh each column header after a move."""
    return [
        {
            "stage_id": c.stage.pk,
            "count": c.count,
            "totals_html": render_to_string("pipelines/_column_totals.html", {"column": c}),
        }
        for c in columns
    ]


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in person (workspace_view has already turned anonymous visitors away)."""
    return Actor.of_user(request.user)  # type: ignore[arg-type]
