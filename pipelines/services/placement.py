"""Placing leads in a pipeline: one by one, or a million at a time for imports."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
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

    Set-based for imports of a million rows: per batch of 5,000 one read, one insert of entries
    (conflicts ignored, so a concurrent placement is harmless) and one insert of history rows.
    Returns how many leads were placed. No timeline entry per lead: the import or the creation
    that called us already wrote one.
    """
    pipeline = stage.pipeline if stage is not None else pipeline_create_default(workspace=workspace)
    if pipeline.workspace_id != workspace.pk:
        raise ValidationFailed.field("stage", "No such stage in this workspace.")
    stage = stage or _entry_stage(pipeline)
    currency = pipeline_settings_get(workspace=workspace).default_currency
    ids = list(dict.fromkeys(int(i) for i in lead_ids))
    placed = 0
    for start in range(0, len(ids), PLACE_BATCH):
        batch = ids[start : start + PLACE_BATCH]
        now = timezone.now()
        with transaction.atomic():
            rows = list(
                Lead.objects.filter(workspace=workspace, pk__in=batch)
                .exclude(
                    Exists(PipelineEntry.objects.filter(pipeline=pipeline, lead=OuterRef("pk")))
                )
                .values_list("pk", "owner_id")
            )
            if not rows:
                continue
            PipelineEntry.objects.bulk_create(
                [
                    PipelineEntry(
                        workspace=workspace,
                        pipeline=pipeline,
                        stage=stage,
                        lead_id=lead_id,
                        owner_id=owner_id,
                        currency=currency,
                        entered_at=now,
                        created_at=now,
                    )
                    for lead_id, owner_id in rows
                ],
                batch_size=1_000,
                ignore_conflicts=True,
            )
            # ignore_conflicts returns no ids: read back the rows this call stamped.
            mine = PipelineEntry.objects.filter(
                pipeline=pipeline, lead_id__in=[r[0] for r in rows], created_at=now
            ).values_list("pk", flat=True)
            changes = [
                StageChange(
                    workspace=workspace,
                    pipeline=pipeline,
                    entry_id=entry_id,
                    from_stage=None,
                    to_stage=stage,
                    actor_type=actor.type,
                    actor_user_id=actor.user_id,
                    actor_name=actor.name[:80],
                    reason="Entered the pipeline",
                    created_at=now,
                )
                for entry_id in mine
            ]
            StageChange.objects.bulk_create(changes, batch_size=1_000)
            placed += len(changes)
    return placed


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
