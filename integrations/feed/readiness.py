"""Ready for outreach: engaged with on enough different days, and not contacted yet.

A lead is contacted once an email was sent to it, a DM logged or a reply received. The days
are counted on the lead's timeline (likes, comments, connections from the feed or the API),
in the instance's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone

from crm.models import Activity, ActivityKind, Lead, Workspace
from integrations.feed.engagement_models import (
    DEFAULT_READY_AFTER_ENGAGED_DAYS,
    Engagement,
    FeedSettings,
)

ENGAGED_KINDS = (ActivityKind.LIKED, ActivityKind.COMMENTED, ActivityKind.CONNECTED)
CONTACT_KINDS = (ActivityKind.EMAIL_SENT, ActivityKind.DM_SENT, ActivityKind.EMAIL_REPLIED)
# The dashboard looks for candidates among the leads engaged with from the feed lately.
CANDIDATE_DAYS = 90


def ready_after_days(*, workspace: Workspace) -> int:
    row = FeedSettings.objects.filter(workspace=workspace).first()
    return row.ready_after_engaged_days if row else DEFAULT_READY_AFTER_ENGAGED_DAYS


def engaged_days(*, workspace: Workspace, lead_ids: Iterable[int]) -> dict[int, int]:
    """Different days each lead was engaged with, for leads not contacted yet (one query)."""
    contacted = Activity.objects.filter(lead_id=OuterRef("lead_id"), kind__in=CONTACT_KINDS)
    rows = (
        Activity.objects.filter(
            workspace=workspace, lead_id__in=list(lead_ids), kind__in=ENGAGED_KINDS
        )
        .filter(~Exists(contacted))
        .annotate(day=TruncDate("created_at"))
        .values("lead_id")
        .annotate(days=Count("day", distinct=True))
    )
    return {row["lead_id"]: row["days"] for row in rows}


def ready_lead_ids(*, workspace: Workspace, lead_ids: Iterable[int]) -> set[int]:
    """Which of ``lead_ids`` are ready for outreach."""
    needed = ready_after_days(workspace=workspace)
    days = engaged_days(workspace=workspace, lead_ids=lead_ids)
    return {lead_id for lead_id, n in days.items() if n >= needed}


def lead_is_ready(*, lead: Lead) -> bool:
    return lead.pk in ready_lead_ids(workspace=lead.workspace, lead_ids=[lead.pk])


def ready_leads(*, workspace: Workspace, limit: int = 10) -> tuple[list[Lead], int]:
    """Leads ready for outreach (most recently updated first, at most ``limit``) and how many."""
    since = timezone.now() - dt.timedelta(days=CANDIDATE_DAYS)
    candidates = (
        Engagement.objects.filter(workspace=workspace, created_at__gte=since)
        .values_list("lead_id", flat=True)
        .distinct()
    )
    ready = ready_lead_ids(workspace=workspace, lead_ids=candidates)
    leads = list(
        Lead.objects.filter(workspace=workspace, pk__in=ready)
        .select_related("company")
        .order_by("-updated_at", "-id")[:limit]
    )
    return leads, len(ready)
