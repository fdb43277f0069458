"""Pipeline fixtures: Acme's default pipeline, its stages by name, and a lead placed Cold."""

from __future__ import annotations

import pytest

from pipelines.models import PipelineEntry
from pipelines.services import entries_place_new_leads, pipeline_create_default


@pytest.fixture
def pipeline(workspace):
    return pipeline_create_default(workspace=workspace)


@pytest.fixture
def stages(pipeline):
    """{"Cold": Stage, "Engaged": Stage, …, "Catch-up 4": Stage, "Lost": Stage}"""
    return {s.name: s for s in pipeline.stages.all()}


@pytest.fixture
def entry(pipeline, lead, actor):
    entries_place_new_leads(workspace=lead.workspace, lead_ids=[lead.pk], actor=actor)
    return PipelineEntry.objects.select_related("stage", "lead").get(pipeline=pipeline, lead=lead)


def at(entry, stage):
    """Put an entry at a stage directly (test setup, no history)."""
    PipelineEntry.objects.filter(pk=entry.pk).update(stage=stage)
    return PipelineEntry.objects.select_related("stage", "lead").get(pk=entry.pk)


def stage_of(lead, pipeline):
    return PipelineEntry.objects.select_related("stage").get(pipeline=pipeline, lead=lead).stage
