import pytest

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.models import Activity, ActivityKind
from pipelines.models import PipelineEntry, StageChange
from pipelines.services import entry_move, entry_update, pipeline_create


def test_a_move_writes_history_and_timeline(entry, stages, actor, owner):
    entry_move(
        entry=entry,
        to_stage=stages["Warm"],
        expected_from_stage=stages["Cold"],
        actor=actor,
        reason="Met at a conference",
    )
    entry.refresh_from_db()
    assert entry.stage == stages["Warm"]
    change = StageChange.objects.filter(entry=entry).latest("id")
    assert (change.from_stage, change.to_stage) == (stages["Cold"], stages["Warm"])
    assert change.actor_type == "user" and change.actor_user == owner
    assert change.reason == "Met at a conference"
    assert change.seconds_in_from_stage is not None
    activity = Activity.objects.get(lead=entry.lead, kind=ActivityKind.STAGE_CHANGED)
    assert activity.body == "Cold → Warm: Met at a conference"
    assert activity.payload["to"] == "Warm"


def test_a_second_move_from_a_stale_stage_is_a_conflict(entry, stages, actor, member):
    stale = PipelineEntry.objects.get(pk=entry.pk)
    entry_move(
        entry=entry, to_stage=stages["Engaged"], expected_from_stage=stages["Cold"], actor=actor
    )
    with pytest.raises(Conflict) as exc:
        entry_move(
            entry=stale,
            to_stage=stages["Lost"],
            expected_from_stage=stages["Cold"],
            actor=Actor.of_user(member),
        )
    assert "Engaged" in exc.value.message
    entry.refresh_from_db()
    assert entry.stage == stages["Engaged"]
    assert StageChange.objects.filter(entry=entry, from_stage__isnull=False).count() == 1


def test_it_refuses_a_stage_of_another_pipeline(workspace, entry, stages, actor):
    other = pipeline_create(workspace=workspace, name="Partners")
    with pytest.raises(ValidationFailed):
        entry_move(
            entry=entry,
            to_stage=other.stages.first(),
            expected_from_stage=stages["Cold"],
            actor=actor,
        )


def test_moving_into_customer_resets_the_catch_up_count(entry, stages, actor):
    PipelineEntry.objects.filter(pk=entry.pk).update(catch_up_count=3)
    entry_move(
        entry=entry, to_stage=stages["Customer"], expected_from_stage=stages["Cold"], actor=actor
    )
    entry.refresh_from_db()
    assert entry.catch_up_count == 0
    assert entry.last_conversation_at is not None


def test_it_sets_the_deal_value_in_minor_units(entry, member):
    entry_update(
        entry=entry,
        data={"value_minor": 1_250_00, "currency": "eur", "probability": 60, "owner_id": member.pk},
    )
    entry.refresh_from_db()
    assert (entry.value_minor, entry.currency, entry.probability) == (125000, "EUR", 60)
    with pytest.raises(ValidationFailed) as exc:
        entry_update(entry=entry, data={"value_minor": -5, "currency": "euro"})
    assert set(exc.value.errors) == {"value_minor", "currency"}


def test_without_an_expected_stage_it_moves_from_wherever_the_lead_is(entry, stages, actor):
    entry_move(entry=entry, to_stage=stages["Engaged"], actor=actor)
    entry.refresh_from_db()
    assert entry.stage == stages["Engaged"]
    change = StageChange.objects.filter(entry=entry).latest("id")
    assert (change.from_stage, change.to_stage) == (stages["Cold"], stages["Engaged"])


def test_a_lead_already_at_the_target_is_no_conflict(entry, stages, actor):
    stale = PipelineEntry.objects.get(pk=entry.pk)
    entry_move(
        entry=entry, to_stage=stages["Warm"], expected_from_stage=stages["Cold"], actor=actor
    )
    moved = entry_move(
        entry=stale, to_stage=stages["Warm"], expected_from_stage=stages["Cold"], actor=actor
    )
    assert moved.stage == stages["Warm"]
    assert StageChange.objects.filter(entry=entry, from_stage__isnull=False).count() == 1
