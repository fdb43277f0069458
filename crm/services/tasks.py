from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.models import ActivityKind, Lead, Membership, Task, TaskKind, Workspace
from crm.services.activities import activity_record
from crm.timebounds import datetime_problem


def _clean(workspace: Workspace, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if "title" in data:
        clean["title"] = (data["title"] or "").strip()
        if not clean["title"]:
            errors["title"] = ["A task needs a title."]
        elif len(clean["title"]) > 200:
            errors["title"] = ["At most 200 characters."]
    if "kind" in data:
        if data["kind"] not in TaskKind.values:
            errors["kind"] = [f"Must be one of {', '.join(TaskKind.values)}."]
        clean["kind"] = data["kind"]
    if "due_at" in data:
        due = data["due_at"]
        if isinstance(due, dt.date) and not isinstance(due, dt.datetime):
            due = dt.datetime.combine(due, dt.time(9, 0))
        problem = datetime_problem(due) if due is not None else None
        if problem:
            errors["due_at"] = [problem]
        elif due is not None and timezone.is_naive(due):
            due = timezone.make_aware(due)
        clean["due_at"] = due
    if "assignee_id" in data:
        assignee = data["assignee_id"]
        if (
            assignee is not None
            and not Membership.objects.filter(workspace=workspace, user_id=assignee).exists()
        ):
            errors["assignee_id"] = ["The assignee must be a member of this workspace."]
        clean["assignee_id"] = assignee
    if errors:
        raise ValidationFailed("Invalid task.", errors=errors)
    return clean


def task_create(
    *, workspace: Workspace, actor: Actor, data: dict[str, Any], lead: Lead | None = None
) -> Task:
    """Create a reminder, on a lead when given (and logged on its timeline)."""
    clean = _clean(workspace, {"title": "", **data})
    if lead is not None and lead.workspace_id != workspace.pk:
        raise ValidationFailed.field("lead_id", "No such lead in this workspace.")
    if "assignee_id" not in clean and actor.user is not None:
        clean["assignee_id"] = actor.user_id
    with transaction.atomic():
        task = Task.objects.create(workspace=workspace, lead=lead, **clean)
        if lead is not None:
            activity_record(
                lead=lead,
                kind=ActivityKind.TASK_CREATED,
                actor=actor,
                body=task.title,
                payload={
                    "task_id": task.pk,
                    "due_at": task.due_at.isoformat() if task.due_at else None,
                },
            )
    return task


def task_update(*, task: Task, data: dict[str, Any]) -> Task:
    """Change a task's title, kind, due date or assignee."""
    for field, value in _clean(task.workspace, data).items():
        setattr(task, field, value)
    task.save()
    return task


def task_complete(*, task: Task, actor: Actor) -> Task:
    """Mark a task done; done twice is done once."""
    with transaction.atomic():
        updated = Task.objects.filter(pk=task.pk, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        task.refresh_from_db()
        if updated and task.lead_id:
            activity_record(
                lead=task.lead,  # type: ignore[arg-type]
                kind=ActivityKind.TASK_DONE,
                actor=actor,
                body=task.title,
                payload={"task_id": task.pk},
            )
    return task


def task_reopen(*, task: Task) -> Task:
    """Undo a completion."""
    Task.objects.filter(pk=task.pk).update(done_at=None)
    task.refresh_from_db()
    return task


def task_delete(*, task: Task) -> None:
    task.delete()
