"""Catch-up reminders: a customer nobody has talked to for N days gets a task for its owner."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from crm.actors import Actor
from crm.models import ActivityKind, Task, TaskKind, Workspace
from crm.services.activities import activities_record_many
from pipelines.selectors.catch_up import catch_ups_due
from pipelines.services.settings import pipeline_settings_get


def catch_up_reminders_create(*, workspace: Workspace, now: dt.datetime | None = None) -> int:
    """Open a "Catch up with …" task for each customer due, unless one is already open.

    Idempotent: run it hourly or daily, a customer gets one open reminder. Returns how many.
    """
    settings = pipeline_settings_get(workspace=workspace)
    if not settings.catch_up_reminders:
        return 0
    now = now or timezone.now()
    due = list(
        catch_ups_due(workspace=workspace, now=now, days=settings.catch_up_after_days)
        .exclude(
            Exists(
                Task.objects.filter(
                    lead=OuterRef("lead"), kind=TaskKind.CATCH_UP, done_at__isnull=True
                )
            )
        )
        .select_related("lead")
    )
    if not due:
        return 0
    with transaction.atomic():
        Task.objects.bulk_create(
            [
                Task(
                    workspace=workspace,
                    lead=entry.lead,
                    title=f"Catch up with {entry.lead}",
                    kind=TaskKind.CATCH_UP,
                    due_at=now,
                    assignee_id=entry.owner_id or entry.lead.owner_id,
                )
                for entry in due
            ],
            batch_size=500,
        )
        activities_record_many(
            leads=[entry.lead for entry in due],
            kind=ActivityKind.TASK_CREATED,
            actor=Actor.rule("catch-up reminder"),
            payload={"kind": TaskKind.CATCH_UP, "days": settings.catch_up_after_days},
        )
    return len(due)


def catch_up_reminders_create_all(*, now: dt.datetime | None = None) -> int:
    """The reminder sweep over every workspace (the beat task calls this)."""
    return sum(
        catch_up_reminders_create(workspace=workspace, now=now)
        for workspace in Workspace.objects.order_by("pk").iterator()
    )
