"""Placing leads in a pipeline: one by one, or a million at a time for imports."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.models import ActivityKind, Lead, Workspace
from crm.services.activities import activity_record
from pipelines.models import Pipeline, PipelineEntry, Stage, StageChange, StageKind
from pipelines.services.history import record_change
from pipelines.services.settings import pipeline_settings_get
from pipelines.services.structure import pipeline_create_default

PLACE_BATCH = 5_000


def _entry_stage(pipeline: Pipeline) -> Stage:
    """Where new leads start: the first Cold stage, else the first stage."""
    stages = Stage.objects.filter(pipeline=pipeline)
    stage = stages.filter(kind=StageKind.COLD).first() or stages.first()
    if stage is None:
        raise Conflict(f"The pipeline '{pipeline}' has no stage.")
    return stage


def entries_place_new_leads(
    *,
    workspace: Workspace,
    lead_ids: Iterable[int],
    stage: Stage | None = None,
    actor: Actor,
) -> int:
    """Put the leads that have no entry yet at the default pipeline's Cold stage (or ``stage``).

    Set-based for imports of a million rows: per batch one ``INSERT … SELECT`` of entries
    (conflicts ignored, so a concurrent placement is harmless) returning the new entries' ids,
    and one insert of their history rows (on PostgreSQL both in one statement). Returns how many
    leads were placed. No timeline entry per lead: the import or the creation that called us
    already wrote one.
    """
    pipeline = stage.pipeline if stage is not None else pipeline_create_default(workspace=workspace)
    if pipeline.workspace_id != workspace.pk:
        raise ValidationFailed.field("stage", "No such stage in this workspace.")
    stage = stage or _entry_stage(pipeline)
    currency = pipeline_settings_get(workspace=workspace).default_currency
    ids = list(dict.fromkeys(int(i) for i in lead_ids))
    placed = 0
    for start in range(0, len(ids), PLACE_BATCH):
        with transaction.atomic():
            placed += _place_batch(
                workspace, pipeline, stage, currency, actor, ids[start : start + PLACE_BATCH]
            )
    return placed


_ENTRIES_SQL = (
    f"INSERT INTO {PipelineEntry._meta.db_table} (workspace_id, pipeline_id, stage_id, lead_id, "
    "owner_id, value_minor, currency, entered_at, catch_up_count, created_at) "
    "SELECT l.workspace_id, %(pipeline)s, %(stage)s, l.id, l.owner_id, 0, %(currency)s, %(now)s, "
    f"0, %(now)s FROM {Lead._meta.db_table} l WHERE l.workspace_id = %(workspace)s AND {{ids}} "
    "ORDER BY l.id ON CONFLICT (pipeline_id, lead_id) DO NOTHING RETURNING id"
)
_CHANGE_COLUMNS = (
    f"INSERT INTO {StageChange._meta.db_table} (workspace_id, pipeline_id, entry_id, "
    "to_stage_id, actor_type, actor_user_id, actor_name, reason, created_at) "
)


def _place_batch(
    workspace: Workspace,
    pipeline: Pipeline,
    stage: Stage,
    currency: str,
    actor: Actor,
    batch: list[int],
) -> int:
    now = timezone.now()
    params: dict[str, Any] = {
        "pipeline": pipeline.pk,
        "stage": stage.pk,
        "currency": currency,
        "now": now,
        "workspace": workspace.pk,
        "actor_type": actor.type,
        "actor_user": actor.user_id,
        "actor_name": actor.name[:80],
        "reason": "Entered the pipeline",
    }
    if connection.vendor == "postgresql":
        # psycopg binds the list as one array parameter.
        entries = _ENTRIES_SQL.format(ids="l.id = ANY(%(ids)s)")
        with connection.cursor() as cur:
            cur.execute(
                f"WITH e AS ({entries}), h AS ({_CHANGE_COLUMNS} SELECT %(workspace)s, "
                "%(pipeline)s, e.id, %(stage)s, %(actor_type)s, %(actor_user)s, %(actor_name)s, "
                "%(reason)s, %(now)s FROM e) SELECT count(*) FROM e",
                {**params, "ids": batch},
            )
            return int(cur.fetchone()[0])
    params["now"] = connection.ops.adapt_datetimefield_value(now)
    entries = _ENTRIES_SQL.format(ids="l.id IN (SELECT value FROM json_each(%(ids)s))")
    with connection.cursor() as cur:
        cur.execute(entries, {**params, "ids": json.dumps(batch)})
        entry_ids = [row[0] for row in cur.fetchall()]
        if not entry_ids:
            return 0
        cur.execute(
            f"{_CHANGE_COLUMNS} SELECT %(workspace)s, %(pipeline)s, value, %(stage)s, "
            "%(actor_type)s, %(actor_user)s, %(actor_name)s, %(reason)s, %(now)s "
            "FROM json_each(%(entries)s)",
            {**params, "entries": json.dumps(entry_ids)},
        )
    return len(entry_ids)


def entry_place(
    *, pipeline: Pipeline, lead: Lead, actor: Actor, stage: Stage | None = None
) -> PipelineEntry:
    """Add one lead to a pipeline (e.g. partnerships); a lead already there is a Conflict."""
    if lead.workspace_id != pipeline.workspace_id:
        raise ValidationFailed.field("lead_id", "No such lead in this workspace.")
    if stage is not None and stage.pipeline_id != pipeline.pk:
        raise ValidationFailed.field("stage_id", "No such stage in this pipeline.")
    stage = stage or _entry_stage(pipeline)
    now = timezone.now()
    try:
        with transaction.atomic():
            entry = PipelineEntry.objects.create(
                workspace_id=pipeline.workspace_id,
                pipeline=pipeline,
                stage=stage,
                lead=lead,
                owner_id=lead.owner_id,
                currency=pipeline_settings_get(workspace=pipeline.workspace).default_currency,
                entered_at=now,
                created_at=now,
            )
            record_change(entry, None, stage, actor, "Entered the pipeline", None, now)
            activity_record(
                lead=lead,
                kind=ActivityKind.STAGE_CHANGED,
                actor=actor,
                body=f"{pipeline}: entered at {stage}",
                payload={"pipeline_id": pipeline.pk, "entry_id": entry.pk, "to_stage_id": stage.pk},
            )
    except IntegrityError:
        raise Conflict(f"This lead is already in '{pipeline}'.") from None
    return entry
