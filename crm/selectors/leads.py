from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection
from django.db.models import BooleanField, Exists, Field, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from crm.errors import ValidationFailed
from crm.models import Lead, LeadTag, ListMembership, Workspace

# Sort keys the lead table offers; each has an index (workspace, key, id) so a page is a seek.
SORTS = {"created_at", "-created_at", "updated_at", "-updated_at", "last_name", "-last_name"}
DATETIME_SORTS = {"created_at", "updated_at"}


@dataclass
class LeadFilters:
    q: str = ""
    list_id: int | None = None
    tag_id: int | None = None
    owner_id: int | None = None
    company_id: int | None = None
    country: str = ""
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    # Values of the filters other apps add to the table, by query-string name ({"stage": 4}).
    extra: dict[str, Any] = field(default_factory=dict)
    # How those values narrow the queryset (bound by the filter form); applied after the above.
    refinements: list[Callable[[QuerySet[Lead]], QuerySet[Lead]]] = field(default_factory=list)


@dataclass
class LeadPage:
    leads: list[Lead]
    next_cursor: str | None
    sort: str


def lead_get(*, workspace: Workspace, lead_id: int) -> Lead:
    """A lead of this workspace, or 404."""
    return get_object_or_404(
        Lead.objects.select_related("company", "owner", "referred_by"),
        workspace=workspace,
        pk=lead_id,
    )


def leads_filtered(*, workspace: Workspace, filters: LeadFilters) -> QuerySet[Lead]:
    """The workspace's leads narrowed by the table's filters (no ordering, no paging)."""
    qs = Lead.objects.filter(workspace=workspace)
    if filters.q:
        # search_text is lower-cased by the services; a trigram index serves it on PostgreSQL.
        for word in filters.q.lower().split()[:5]:
            qs = qs.filter(search_text__contains=word)
    if filters.list_id is not None:
        qs = qs.filter(
            Exists(ListMembership.objects.filter(lead=OuterRef("pk"), lead_list_id=filters.list_id))
        )
    if filters.tag_id is not None:
        qs = qs.filter(Exists(LeadTag.objects.filter(lead=OuterRef("pk"), tag_id=filters.tag_id)))
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.company_id is not None:
        qs = qs.filter(company_id=filters.company_id)
    if filters.country:
        qs = qs.filter(country__iexact=filters.country.strip())
    if filters.created_after is not None:
        qs = qs.filter(created_at__gte=filters.created_after)
    if filters.created_before is not None:
        qs = qs.filter(created_at__lt=filters.created_before)
    for refine in filters.refinements:
        qs = refine(qs)
    return qs


def _encode_cursor(lead: Lead, sort: str) -> str:
    key = sort.lstrip("-")
    value = getattr(lead, key)
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    raw = json.dumps([value, lead.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded))
        if sort.lstrip("-") in DATETIME_SORTS:
            value = dt.datetime.fromisoformat(value)
        if not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError, json.JSONDecodeError):
        raise ValidationFailed.field("cursor", "The cursor is not valid for this sort.") from None
    return value, pk


def _after(qs: QuerySet[Lead], sort: str, cursor: str) -> QuerySet[Lead]:
    """Rows after the cursor, as one row-value comparison so the index can seek to it."""
    value, pk = _decode_cursor(cursor, sort)
    key = sort.lstrip("-")
    column = cast(Field, Lead._meta.get_field(key)).column
    if key in DATETIME_SORTS:
        value = connection.ops.adapt_datetimefield_value(value)
    op = "<" if sort.startswith("-") else ">"
    table = Lead._meta.db_table
    condition = RawSQL(
        f'("{table}"."{column}", "{table}"."id") {op} (%s, %s)',
        (value, pk),
        output_field=BooleanField(),
    )
    return qs.filter(condition)


def leads_page(
    *,
    workspace: Workspace,
    filters: LeadFilters,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: int = 50,
    prepare: Callable[[QuerySet[Lead]], QuerySet[Lead]] | None = None,
) -> LeadPage:
    """One page of leads by keyset pagination: as fast on page 10,000 as on page 1.

    ``prepare`` adds what the page's columns need (annotations, joins) to the paged query.
    """
    if sort not in SORTS:
        raise ValidationFailed.field("sort", f"Must be one of {', '.join(sorted(SORTS))}.")
    qs = leads_filtered(workspace=workspace, filters=filters)
    if cursor:
        qs = _after(qs, sort, cursor)
    direction = "-" if sort.startswith("-") else ""
    qs = qs.select_related("company", "owner").order_by(sort, f"{direction}id")
    if prepare is not None:
        qs = prepare(qs)
    rows = list(qs[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1], sort) if len(rows) > limit else None
    return LeadPage(leads=rows[:limit], next_cursor=next_cursor, sort=sort)


def leads_count(
    *, workspace: Workspace, filters: LeadFilters, cap: int = 10_000
) -> tuple[int, bool]:
    """How many leads match, counted up to ``cap``; returns ``(count, more_than_cap)``.

    An exact count of a million rows costs more than the page itself; "10,000+" is enough.
    """
    ids = leads_filtered(workspace=workspace, filters=filters).values("id")[: cap + 1]
    n = ids.count()
    return min(n, cap), n > cap
