"""The stage history: one StageChange row per move, written by the moving service."""

from __future__ import annotations

import datetime as dt

from django.db.models import Subquery

from crm.actors import Actor
from pipelines.models import PipelineEntry, Stage, StageChange, StageKind


def record_change(
    entry: PipelineEntry,
    from_stage: Stage | None,
    to_stage: Stage,
    actor: Actor,
    reason: str,
    seconds: int | None,
    now: dt.datetime,
) -> StageChange:
    return StageChange.objects.create(
        workspace_id=entry.workspace_id,
        pipeline_id=entry.pipeline_id,
        entry=entry,
        from_stage=from_stage,
        to_stage=to_stage,
        seconds_in_from_stage=seconds,
        actor_type=actor.type,
        actor_user_id=actor.user_id,
        actor_name=actor.name[:80],
        reason=reason[:300],
        created_at=now,
    )


def is_forward(from_stage: Stage, to_stage: Stage) -> bool:
    """A step towards the customer: a later stage that is not Lost."""
    return to_stage.kind != StageKind.LOST and to_stage.position > from_stage.position


def close_previous_change(entry: PipelineEntry, from_stage: Stage, to_stage: Stage) -> None:
    """Mark how the entry left its current stage on the change that brought it there."""
    latest = (
        StageChange.objects.filter(entry_id=entry.pk)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    StageChange.objects.filter(pk=Subquery(latest), to_stage=from_stage).update(
        left_forward=is_forward(from_stage, to_stage)
    )
