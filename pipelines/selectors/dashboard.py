"""The pipeline part of the dashboard of the day."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from crm.models import Task, TaskKind, Workspace
from crm.selectors.records import tasks_due
from pipelines.models import StageChange
from pipelines.selectors.reports import report_catch_ups_due


@dataclass
class DayOfWork:
    tasks_due: list
    catch_ups_due_count: int
    catch_ups_due: list
    referral_asks_count: int
    referral_asks: list
    moved_today_count: int
    moved_today: list


def day_of_work(
    *, workspace: Workspace, days: int, assignee_id: int | None = None, limit: int = 10
) -> DayOfWork:
    """Tasks due and overdue, catch-ups due, referral asks pending, leads moved since midnight.

    The counts are of everything, the lists of the first ``limit``; catch-ups due come from the
    reports page's selector, so the dashboard and that page always agree.
    """
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    due_count, due = report_catch_ups_due(workspace=workspace, now=now, days=days, limit=limit)
    pending = Task.objects.filter(
        workspace=workspace, kind=TaskKind.ASK_REFERRAL, done_at__isnull=True
    )
    asks = list(pending.select_related("lead", "assignee").order_by("due_at", "id")[:limit])
    moved = StageChange.objects.filter(
        workspace=workspace, created_at__gte=midnight, from_stage__isnull=False
    )
    recent = list(
        moved.select_related("entry__lead", "from_stage", "to_stage").order_by(
            "-created_at", "-id"
        )[:limit]
    )
    return DayOfWork(
        tasks_due=list(tasks_due(workspace=workspace, assignee_id=assignee_id)[:limit]),
        catch_ups_due_count=due_count,
        catch_ups_due=due,
        referral_asks_count=pending.count() if len(asks) == limit else len(asks),
        referral_asks=asks,
        moved_today_count=moved.count(),
        moved_today=recent,
    )
