"""The board: pipelines, their columns with aggregate totals, and columns read in pages."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from crm.errors import NotFound, ValidationFailed
from crm.models import Lead, LeadTag, ListMembership, Workspace
from pipelines.models import Pipeline, PipelineEntry, Stage, StageChange


@dataclass
class BoardFilters:
    owner_id: int | None = None
    list_id: int | None = None
    tag_id: int | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.owner_id or self.list_id or self.tag_id or self.q.strip())


@dataclass
class Column:
    stage: Stage
    count: int = 0
    # currency → (total, weighted), in minor units.
    totals: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class CardPage:
    entries: list[PipelineEntry]
    next_cursor: str | None


def pipelines_of(*, workspace: Workspace) -> QuerySet[Pipeline]:
    return Pipeline.objects.filter(workspace=workspace).order_by("-is_default", "name")


def pipeline_get(*, workspace: Workspace, pipeline_id: int) -> Pipeline:
    return get_object_or_404(Pipeline, workspace=workspace, pk=pipeline_id)


def stage_get(*, workspace: Workspace, stage_id: int) -> Stage:
    return get_object_or_404(
        Stage.objects.select_related("pipeline"), pipeline__workspace=workspace, pk=stage_id
    )


def stages_of(*, pipeline: Pipeline) -> list[Stage]:
    return list(Stage.objects.filter(pipeline=pipeline).order_by("position", "id"))


def entry_get(*, workspace: Workspace, entry_id: int) -> PipelineEntry:
    return get_object_or_404(
        PipelineEntry.objects.select_related("lead", "stage", "pipeline", "owner", "lead__company"),
        workspace=workspace,
        pk=entry_id,
    )


def entries_filtered(*, pipeline_id: int, filters: BoardFilters) -> QuerySet[PipelineEntry]:
    qs = PipelineEntry.objects.filter(pipeline_id=pipeline_id)
    if filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.list_id:
        qs = qs.filter(
            Exists(
                ListMembership.objects.filter(lead=OuterRef("lead"), lead_list_id=filters.list_id)
            )
        )
    if filters.tag_id:
        qs = qs.filter(Exists(LeadTag.objects.filter(lead=OuterRef("lead"), tag_id=filters.tag_id)))
    for word in filters.q.lower().split()[:5]:
        qs = qs.filter(lead__search_text__contains=word)
    return qs


def weighted_expression():  # type: ignore[no-untyped-def]
    """value × (the deal's probability, else its stage's) / 100, in minor units."""
    return F("value_minor") * Coalesce("probability", "stage__probability") / Value(100)


def board_columns(*, pipeline: Pipeline, filters: BoardFilters | None = None) -> list[Column]:
    """Every stage with its count and value totals: two queries whatever the size."""
    columns = {s.pk: Column(stage=s) for s in stages_of(pipeline=pipeline)}
    rows = (
        entries_filtered(pipeline_id=pipeline.pk, filters=filters or BoardFilters())
        .values("stage_id", "currency")
        .annotate(
            n=Count("id"),
            total=Sum("value_minor"),
            weighted=Sum(weighted_expression(), output_field=IntegerField()),
        )
        .order_by()
    )
    for row in rows:
        column = columns.get(row["stage_id"])
        if column is None:
            continue
        column.count += row["n"]
        if row["total"]:
            column.totals[row["currency"]] = (int(row["total"]), int(row["weighted"] or 0))
    return list(columns.values())


def _encode(entry: PipelineEntry) -> str:
    raw = json.dumps([entry.entered_at.isoformat(), entry.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        when = dt.datetime.fromisoformat(value)
        if not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError):
        raise ValidationFailed.field("cursor", "The cursor is not valid.") from None
    return when, pk


def column_page(
    *,
    stage: Stage,
    filters: BoardFilters | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> CardPage:
    """One page of a column, newest arrivals first, by keyset on (entered_at, id): one query."""
    qs = entries_filtered(pipeline_id=stage.pipeline_id, filters=filters or BoardFilters()).filter(
        stage=stage
    )
    if cursor:
        when, pk = _decode(cursor)
        qs = qs.filter(Q(entered_at__lt=when) | Q(entered_at=when, pk__lt=pk))
    rows = list(
        qs.select_related("lead", "lead__company", "owner").order_by("-entered_at", "-id")[
            : limit + 1
        ]
    )
    for entry in rows:
        entry.stage = stage
    next_cursor = _encode(rows[limit - 1]) if len(rows) > limit else None
    return CardPage(entries=rows[:limit], next_cursor=next_cursor)


def entry_of_lead(*, pipeline: Pipeline, lead: Lead) -> PipelineEntry:
    """The lead's entry in ``pipeline``; a NotFound saying so when it is not there."""
    entry = (
        PipelineEntry.objects.select_related("lead", "stage", "pipeline", "owner", "lead__company")
        .filter(pipeline=pipeline, lead=lead)
        .first()
    )
    if entry is None:
        raise NotFound(f"Lead {lead.pk} is not in the pipeline {pipeline}.")
    return entry


def entry_history(*, entry: PipelineEntry, limit: int = 100) -> list[StageChange]:
    return list(
        StageChange.objects.filter(entry=entry)
        .select_related("from_stage", "to_stage", "actor_user")
        .order_by("-created_at", "-id")[:limit]
    )


def entries_of_lead(*, lead: Lead) -> list[PipelineEntry]:
    """The lead's place in each pipeline, with each pipeline's stages for a move control."""
    entries = list(
        PipelineEntry.objects.filter(lead=lead)
        .select_related("pipeline", "stage", "owner")
        .order_by("-pipeline__is_default", "pipeline__name")
    )
    stages: dict[int, list[Stage]] = {}
    for stage in Stage.objects.filter(pipeline_id__in=[e.pipeline_id for e in entries]):
        stages.setdefault(stage.pipeline_id, []).append(stage)
    for entry in entries:
        entry.stage_choices = stages.get(entry.pipeline_id, [])  # type: ignore[attr-defined]
    return entries


def referrals_of(*, lead: Lead) -> list[Lead]:
    return list(Lead.objects.filter(referred_by=lead).order_by("-created_at", "-id")[:100])
