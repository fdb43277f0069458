"""Pipelines and their stages: create, rename, reorder, add and remove."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.models import Workspace
from pipelines.defaults import DEFAULT_PIPELINE_NAME, DEFAULT_STAGES
from pipelines.models import Pipeline, PipelineEntry, Stage, StageKind


def _stages_from_template(pipeline: Pipeline, template: tuple[tuple[str, str, int], ...]) -> None:
    Stage.objects.bulk_create(
        Stage(pipeline=pipeline, name=name, kind=kind, position=i, probability=probability)
        for i, (name, kind, probability) in enumerate(template)
    )


def pipeline_create_default(*, workspace: Workspace) -> Pipeline:
    """The workspace's sales pipeline, created with the standard stages on first call.

    Idempotent: workspace creation calls it, and so does every rule that needs the pipeline,
    so a workspace made before pipelines existed still works.
    """
    pipeline = Pipeline.objects.filter(workspace=workspace, is_default=True).first()
    if pipeline is not None:
        return pipeline
    try:
        with transaction.atomic():
            name = DEFAULT_PIPELINE_NAME
            if Pipeline.objects.filter(workspace=workspace, name=name).exists():
                name = f"{name} (default)"
            pipeline = Pipeline.objects.create(workspace=workspace, name=name, is_default=True)
            _stages_from_template(pipeline, DEFAULT_STAGES)
    except IntegrityError:
        # Another request created it between our read and our insert.
        return Pipeline.objects.get(workspace=workspace, is_default=True)
    return pipeline


def _clean_name(value: Any, field: str, limit: int) -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationFailed.field(field, "A name is required.")
    if len(name) > limit:
        raise ValidationFailed.field(field, f"At most {limit} characters.")
    return name


def pipeline_create(
    *, workspace: Workspace, name: str, stages: list[dict[str, Any]] | None = None
) -> Pipeline:
    """Another pipeline (partnerships, hiring…): the standard stages unless ``stages`` given."""
    name = _clean_name(name, "name", 120)
    template = DEFAULT_STAGES
    if stages is not None:
        if not stages:
            raise ValidationFailed.field("stages", "A pipeline needs at least one stage.")
        template = tuple(
            (
                _clean_name(s.get("name"), "stages", 80),
                _clean_kind(s.get("kind", StageKind.COLD)),
                _clean_probability(s.get("probability", 0)),
            )
            for s in stages
        )
    try:
        with transaction.atomic():
            pipeline = Pipeline.objects.create(workspace=workspace, name=name)
            _stages_from_template(pipeline, template)
    except IntegrityError:
        raise Conflict(f"A pipeline named '{name}' already exists.") from None
    return pipeline


def pipeline_rename(*, pipeline: Pipeline, name: str) -> Pipeline:
    """Rename a pipeline; names are unique in a workspace."""
    pipeline.name = _clean_name(name, "name", 120)
    try:
        with transaction.atomic():
            pipeline.save(update_fields=["name"])
    except IntegrityError:
        raise Conflict(f"A pipeline named '{pipeline.name}' already exists.") from None
    return pipeline


def pipeline_delete(*, pipeline: Pipeline) -> None:
    """Delete a pipeline with its entries and history; the default one stays."""
    if pipeline.is_default:
        raise Conflict("The default pipeline drives the stage rules and cannot be deleted.")
    with transaction.atomic():
        PipelineEntry.objects.filter(pipeline=pipeline).delete()
        pipeline.delete()


def _clean_kind(kind: Any) -> str:
    if kind not in StageKind.values:
        raise ValidationFailed.field("kind", f"Must be one of {', '.join(StageKind.values)}.")
    return str(kind)


def _clean_probability(value: Any) -> int:
    try:
        probability = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed.field("probability", "A whole number from 0 to 100.") from None
    if not 0 <= probability <= 100:
        raise ValidationFailed.field("probability", "A whole number from 0 to 100.")
    return probability


def stage_create(
    *,
    pipeline: Pipeline,
    name: str,
    kind: str,
    probability: int = 0,
    position: int | None = None,
) -> Stage:
    """Add a stage, at the end or before the stage now at ``position`` (0-based)."""
    name = _clean_name(name, "name", 80)
    kind = _clean_kind(kind)
    probability = _clean_probability(probability)
    with transaction.atomic():
        ids = list(Stage.objects.filter(pipeline=pipeline).values_list("pk", flat=True))
        stage = Stage.objects.create(
            pipeline=pipeline,
            name=name,
            kind=kind,
            probability=probability,
            position=(
                Stage.objects.filter(pipeline=pipeline).aggregate(m=Max("position"))["m"] or 0
            )
            + 1,
        )
        if position is not None:
            ids.insert(max(0, min(position, len(ids))), stage.pk)
            _renumber(pipeline, ids)
            stage.refresh_from_db(fields=["position"])
    return stage


def stage_update(*, stage: Stage, data: dict[str, Any]) -> Stage:
    """Rename a stage or change its kind or probability."""
    if "name" in data:
        stage.name = _clean_name(data["name"], "name", 80)
    if "kind" in data:
        stage.kind = _clean_kind(data["kind"])
    if "probability" in data:
        stage.probability = _clean_probability(data["probability"])
    stage.save()
    return stage


def _renumber(pipeline: Pipeline, stage_ids: list[int]) -> None:
    stages = {s.pk: s for s in Stage.objects.filter(pipeline=pipeline)}
    for position, stage_id in enumerate(stage_ids):
        stages[stage_id].position = position
    Stage.objects.bulk_update(stages.values(), ["position"])


def stages_reorder(*, pipeline: Pipeline, stage_ids: list[int]) -> list[Stage]:
    """Put the pipeline's stages in this order; the list must name each stage once."""
    current = set(Stage.objects.filter(pipeline=pipeline).values_list("pk", flat=True))
    if len(stage_ids) != len(set(stage_ids)) or set(stage_ids) != current:
        raise ValidationFailed.field("stage_ids", "List every stage of the pipeline once.")
    with transaction.atomic():
        _renumber(pipeline, stage_ids)
    return list(Stage.objects.filter(pipeline=pipeline))


def stage_delete(*, stage: Stage, move_to: Stage | None, actor: Actor) -> int:
    """Remove a stage; its leads go to ``move_to`` first (each move recorded). Returns how many.

    An empty stage needs no destination. The last stage of a pipeline stays.
    """
    from pipelines.services.entries import entries_move_all

    pipeline = stage.pipeline
    with transaction.atomic():
        if Stage.objects.filter(pipeline=pipeline).count() <= 1:
            raise Conflict("A pipeline keeps at least one stage.")
        has_entries = PipelineEntry.objects.filter(stage=stage).exists()
        moved = 0
        if has_entries:
            if move_to is None:
                raise ValidationFailed.field(
                    "move_to", "This stage has leads: choose the stage they move to."
                )
            if move_to.pipeline_id != pipeline.pk or move_to.pk == stage.pk:
                raise ValidationFailed.field("move_to", "Choose another stage of this pipeline.")
            moved = entries_move_all(
                from_stage=stage, to_stage=move_to, actor=actor, reason=f"Stage '{stage}' removed"
            )
        stage.delete()
        _renumber(
            pipeline, list(Stage.objects.filter(pipeline=pipeline).values_list("pk", flat=True))
        )
    return moved
