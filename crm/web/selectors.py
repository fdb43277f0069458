"""Reads the pages need that crm.selectors does not offer (yet); all scoped to a workspace.

Candidates to move into crm/selectors once another caller (API, tasks) needs them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from crm.models import Activity, ActivityKind, Company, Lead, LeadList, Task, Workspace
from crm.selectors.records import tasks_list


def recent_activity(*, workspace: Workspace, limit: int = 12) -> list[Activity]:
    """The workspace's latest timeline entries, across leads, newest first."""
    return list(
        Activity.objects.filter(workspace=workspace)
        .select_related("lead", "actor_user")
        .order_by("-created_at", "-id")[:limit]
    )


def replies_to_handle(*, workspace: Workspace, limit: int = 8) -> list[Activity]:
    """Recent replies from leads: the first thing a rep answers in the morning."""
    return list(
        Activity.objects.filter(workspace=workspace, kind=ActivityKind.EMAIL_REPLIED)
        .select_related("lead")
        .order_by("-created_at", "-id")[:limit]
    )


def end_of_today() -> dt.datetime:
    return timezone.localtime().replace(hour=23, minute=59, second=59, microsecond=999999)


def start_of_today() -> dt.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


TASK_VIEWS = ("today", "overdue", "upcoming", "done", "all")


def tasks_view(*, workspace: Workspace, view: str, assignee_id: int | None) -> QuerySet[Task]:
    """Tasks for the tasks page: today (due by tonight, incl. overdue), overdue, upcoming, done."""
    qs = tasks_list(workspace=workspace, assignee_id=assignee_id)
    if view == "today":
        return qs.filter(done_at__isnull=True, due_at__lte=end_of_today())
    if view == "overdue":
        return qs.filter(done_at__isnull=True, due_at__lt=start_of_today())
    if view == "upcoming":
        return qs.filter(
            Q(due_at__gt=end_of_today()) | Q(due_at__isnull=True), done_at__isnull=True
        )
    if view == "done":
        return qs.filter(done_at__isnull=False).order_by("-done_at", "-id")
    return qs


@dataclass
class WorkspaceCounts:
    companies: int
    lists: int
    leads_this_week: int


def workspace_counts(*, workspace: Workspace) -> WorkspaceCounts:
    week_ago = timezone.now() - dt.timedelta(days=7)
    return WorkspaceCounts(
        companies=Company.objects.filter(workspace=workspace).count(),
        lists=LeadList.objects.filter(workspace=workspace).count(),
        leads_this_week=Lead.objects.filter(workspace=workspace, created_at__gte=week_ago).count(),
    )


def lead_referrals(*, lead: Lead) -> list[Lead]:
    """People this lead referred, oldest first."""
    return list(lead.referrals.select_related("company").order_by("created_at", "id"))


def lead_lists(*, lead: Lead) -> list[LeadList]:
    return list(lead.lists.order_by("name"))


def lead_tags(*, lead: Lead) -> list:
    return list(lead.tags.order_by("name"))


def company_names(*, workspace: Workspace, limit: int = 500) -> list[str]:
    """Names for the company field's suggestions."""
    return list(
        Company.objects.filter(workspace=workspace)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )
