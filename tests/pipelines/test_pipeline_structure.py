import pytest

from crm.errors import Conflict, ValidationFailed
from pipelines.models import Pipeline, PipelineEntry, StageChange
from pipelines.services import (
    pipeline_create,
    pipeline_create_default,
    pipeline_delete,
    stage_create,
    stage_delete,
    stage_update,
    stages_reorder,
)
from tests.pipelines.conftest import stage_of


def test_a_workspace_starts_with_cold_to_catch_up_4_plus_lost(pipeline):
    names = list(pipeline.stages.values_list("name", flat=True))
    assert names == [
        "Cold",
        "Engaged",
        "Warm",
        "Customer",
        "Catch-up 1",
        "Catch-up 2",
        "Catch-up 3",
        "Catch-up 4",
        "Lost",
    ]
    kinds = set(pipeline.stages.values_list("kind", flat=True))
    assert kinds == {"cold", "engaged", "warm", "customer", "catch_up", "lost"}


def test_it_creates_the_default_pipeline_once(workspace, pipeline):
    again = pipeline_create_default(workspace=workspace)
    assert again.pk == pipeline.pk
    assert Pipeline.objects.filter(workspace=workspace).count() == 1


def test_it_adds_another_pipeline_with_its_own_stages(workspace, pipeline):
    partners = pipeline_create(
        workspace=workspace,
        name="Partnerships",
        stages=[
            {"name": "Intro", "kind": "cold"},
            {"name": "Signed", "kind": "customer", "probability": 100},
        ],
    )
    assert not partners.is_default
    assert [s.name for s in partners.stages.all()] == ["Intro", "Signed"]
    with pytest.raises(Conflict):
        pipeline_create(workspace=workspace, name="Partnerships")


def test_it_refuses_to_delete_the_default_pipeline(pipeline):
    with pytest.raises(Conflict):
        pipeline_delete(pipeline=pipeline)


def test_it_renames_and_reorders_stages(pipeline, stages):
    stage_update(stage=stages["Warm"], data={"name": "Hot", "probability": 40})
    order = [s.pk for s in pipeline.stages.all()]
    order[0], order[1] = order[1], order[0]
    stages_reorder(pipeline=pipeline, stage_ids=order)
    assert list(pipeline.stages.values_list("name", flat=True))[:3] == ["Engaged", "Cold", "Hot"]
    with pytest.raises(ValidationFailed):
        stages_reorder(pipeline=pipeline, stage_ids=order[:-1])


def test_it_adds_a_stage_at_a_position(pipeline, stages):
    demo = stage_create(
        pipeline=pipeline, name="Demo booked", kind="warm", probability=50, position=3
    )
    names = list(pipeline.stages.values_list("name", flat=True))
    assert names.index("Demo booked") == 3
    assert demo.position == 3


def test_removing_a_stage_asks_where_its_leads_go(pipeline, stages, entry, actor):
    with pytest.raises(ValidationFailed) as exc:
        stage_delete(stage=stages["Cold"], move_to=None, actor=actor)
    assert "move_to" in exc.value.errors
    moved = stage_delete(stage=stages["Cold"], move_to=stages["Engaged"], actor=actor)
    assert moved == 1
    assert stage_of(entry.lead, pipeline) == stages["Engaged"]
    change = StageChange.objects.filter(entry=entry).latest("id")
    assert change.to_stage == stages["Engaged"]
    assert change.from_stage is None  # the removed stage is gone; the row stays
    assert PipelineEntry.objects.count() == 1
