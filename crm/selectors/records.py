"""Reads of the records around leads: companies, lists, tags, timelines, tasks."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crm.models import (
    Activity,
    ApiKey,
    Company,
    CustomFieldDefinition,
    Lead,
    LeadList,
    Tag,
    Task,
    Workspace,
)


def company_get(*, workspace: Workspace, company_id: int) -> Company:
    return get_object_or_404(Company, workspace=workspace, pk=company_id)


def companies_list(*, workspace: Workspace, q: str = "") -> QuerySet[Company]:
    qs = Company.objects.filter(workspace=workspace)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(domain__icontains=q.lower()))
    return qs.annotate(lead_count=Count("leads")).order_by("name", "id")


def list_get(*, workspace: Workspace, list_id: int) -> LeadList:
    return get_object_or_404(LeadList, workspace=workspace, pk=list_id)


def lists_all(*, workspace: Workspace) -> QuerySet[LeadList]:
    return (
        LeadList.objects.filter(workspace=workspace)
        .annotate(lead_count=Count("memberships"))
        .order_by("name")
    )


def tag_get(*, workspace: Workspace, tag_id: int) -> Tag:
    return get_object_or_404(Tag, workspace=workspace, pk=tag_id)


def tags_all(*, workspace: Workspace) -> QuerySet[Tag]:
    return (
        Tag.objects.filter(workspace=workspace)
        .annotate(lead_count=Count("leadtag"))
        .order_by("name")
    )


def lead_timeline(*, lead: Lead, limit: int = 200) -> list[Activity]:
    return list(
        Activity.objects.filter(lead=lead)
        .select_related("actor_user")
        .order_by("-created_at", "-id")[:limit]
    )


def task_get(*, workspace: Workspace, task_id: int) -> Task:
    return get_object_or_404(Task.objects.select_related("lead"), workspace=workspace, pk=task_id)


def tasks_list(
    *,
    workspace: Workspace,
    lead: Lead | None = None,
    assignee_id: int | None = None,
    open_only: bool = False,
) -> QuerySet[Task]:
    qs = Task.objects.filter(workspace=workspace).select_related("lead", "assignee")
    if lead is not None:
        qs = qs.filter(lead=lead)
    if assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    # Open tasks first, then by due date with undated ones last, the same on SQLite and
    # PostgreSQL (which disagree on where NULLs sort by default).
    return qs.order_by(F("done_at").asc(nulls_first=True), F("due_at").asc(nulls_last=True), "id")


def tasks_due(*, workspace: Workspace, assignee_id: int | None = None) -> QuerySet[Task]:
    """Open tasks due by the end of today, oldest first: the day's to-do list."""
    end_of_day = timezone.localtime().replace(hour=23, minute=59, second=59)
    return tasks_list(workspace=workspace, assignee_id=assignee_id, open_only=True).filter(
        due_at__lte=end_of_day
    )


def custom_fields_of(*, workspace: Workspace, entity: str = "lead") -> QuerySet:
    return CustomFieldDefinition.objects.filter(workspace=workspace, entity=entity).order_by(
        "label"
    )


def api_keys_of(*, workspace: Workspace, user) -> QuerySet[ApiKey]:  # type: ignore[no-untyped-def]
    return ApiKey.objects.filter(workspace=workspace, user=user).order_by("-created_at")
