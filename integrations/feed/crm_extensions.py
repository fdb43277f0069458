"""What the feed adds to crm's pages: who is active on the leads table and the lists page,
and the lead's recent posts for outreach (outreach.hooks).

Registered from ``FeedConfig.ready()``; crm and outreach only know their registries and hooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from crm.models import Lead, LeadList, ListMembership, Workspace
from crm.web.extensions.columns import LEAD_COLUMNS, LeadColumn
from crm.web.extensions.filters import LEAD_FILTERS, LeadFilter
from crm.web.extensions.list_columns import LIST_COLUMNS, ListColumn
from integrations.feed.models import Post
from outreach import hooks

# A lead who posted within this many days is "active".
ACTIVE_DAYS = 30


def _active_since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=ACTIVE_DAYS)


def last_posted(workspace: Workspace, leads: Sequence[Lead]) -> dict[int, Any]:
    """Each lead's newest post date, for one page of the table (one query, index
    post_lead_posted)."""
    rows = (
        Post.objects.filter(workspace=workspace, lead_id__in=[lead.pk for lead in leads])
        .values("lead_id")
        .annotate(last=Max("posted_at"))
    )
    return {row["lead_id"]: row["last"] for row in rows}


def _posted_field(workspace: Workspace) -> forms.Field:
    return forms.ChoiceField(
        choices=[("", "Any activity"), ("recent", f"Posted in the last {ACTIVE_DAYS} days")]
    )


def _posted_recently(qs: QuerySet[Lead], value: str, workspace: Workspace) -> QuerySet[Lead]:
    if value != "recent":
        return qs
    return qs.filter(
        Exists(Post.objects.filter(lead=OuterRef("pk"), posted_at__gte=_active_since()))
    )


def active_leads_per_list(workspace: Workspace, lists: Sequence[LeadList]) -> dict[int, Any]:
    """How many of each list's leads posted in the last 30 days (one query)."""
    recent = Post.objects.filter(lead=OuterRef("lead_id"), posted_at__gte=_active_since())
    rows = (
        ListMembership.objects.filter(lead_list_id__in=[x.pk for x in lists])
        .filter(Exists(recent))
        .values("lead_list_id")
        .annotate(n=Count("lead_id"))
    )
    counts = {row["lead_list_id"]: row["n"] for row in rows}
    return {x.pk: counts.get(x.pk, 0) for x in lists}


def recent_posts(lead: Lead, limit: int) -> list[hooks.RecentPost]:
    posts = Post.objects.filter(workspace_id=lead.workspace_id, lead=lead).order_by(
        "-posted_at", "-id"
    )[:limit]
    return [hooks.RecentPost(p.network, p.url, p.text, p.posted_at) for p in posts]


LAST_POSTED_COLUMN = LeadColumn(
    "last_posted",
    "Last posted",
    "feed/leads_table/last_posted.html",
    load=last_posted,
    default=False,
    order=60,
    css_class="nowrap",
)
POSTED_FILTER = LeadFilter("posted", "Posted", _posted_field, _posted_recently, order=60)
ACTIVE_LEADS_COLUMN = ListColumn(
    "active_leads", f"Active (posted in {ACTIVE_DAYS} days)", active_leads_per_list, order=60
)


def register() -> None:
    LEAD_COLUMNS.register(LAST_POSTED_COLUMN)
    LEAD_FILTERS.register(POSTED_FILTER)
    LIST_COLUMNS.register(ACTIVE_LEADS_COLUMN)
    hooks.provide_recent_posts(recent_posts)
