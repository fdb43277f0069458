"""Every stage rule, its off switch, and its idempotence."""

import pytest

from crm.actors import Actor
from crm.models import Activity, ActivityKind, Task, TaskKind
from pipelines.models import PipelineEntry, StageChange
from pipelines.services import (
    conversation_log,
    engagement_log,
    pipeline_settings_update,
    rule_customer_paid,
    rule_engagement_logged,
    rule_reply_received,
)
from tests.pipelines.conftest import at, stage_of


def test_engagement_on_a_cold_lead_moves_it_to_engaged(entry, pipeline, actor):
    activity = engagement_log(lead=entry.lead, kind="liked", actor=actor, body="Liked a post")
    assert activity.kind == ActivityKind.LIKED
    assert stage_of(entry.lead, pipeline).name == "Engaged"
    change = StageChange.objects.filter(entry=entry).latest("id")
    assert change.actor_type == "rule"
    assert change.reason == "Engagement logged (liked)"


def test_engagement_places_a_lead_not_yet_in_the_pipeline(lead, pipeline, actor):
    rule_engagement_logged(lead=lead, kind="commented", actor=actor)
    assert stage_of(lead, pipeline).name == "Engaged"


def test_engagement_leaves_a_warm_lead_where_it_is(entry, stages, pipeline, actor):
    at(entry, stages["Warm"])
    rule_engagement_logged(lead=entry.lead, kind="dm_sent", actor=actor)
    assert stage_of(entry.lead, pipeline).name == "Warm"


def test_engagement_rule_can_be_switched_off(workspace, entry, pipeline, actor):
    pipeline_settings_update(workspace=workspace, data={"engagement_moves_to_engaged": False})
    engagement_log(lead=entry.lead, kind="connected", actor=actor)
    assert stage_of(entry.lead, pipeline).name == "Cold"
    assert Activity.objects.filter(lead=entry.lead, kind="connected").exists()


def test_a_reply_moves_a_cold_or_engaged_lead_to_warm_once(entry, pipeline, actor):
    rule_reply_received(lead=entry.lead, actor=Actor.integration("inbox"))
    rule_reply_received(lead=entry.lead, actor=Actor.integration("inbox"))
    assert stage_of(entry.lead, pipeline).name == "Warm"
    change = StageChange.objects.filter(entry=entry, from_stage__isnull=False).get()
    assert change.reason == "Replied by email" and "inbox" in change.actor_name


def test_a_reply_leaves_a_lost_lead_lost_and_asks_its_owner_once(entry, stages, pipeline, owner):
    lead = entry.lead
    lead.owner = owner
    lead.save()
    at(entry, stages["Lost"])
    rule_reply_received(lead=lead, actor=Actor.integration("inbox"), event_key="<r1@x>")
    rule_reply_received(lead=lead, actor=Actor.integration("inbox"), event_key="<r1@x>")
    assert stage_of(lead, pipeline).name == "Lost"
    task = Task.objects.get(lead=lead)
    assert "while Lost" in task.title and task.assignee == owner


def test_a_reply_leaves_a_customer_where_it_is(entry, stages, pipeline, actor):
    at(entry, stages["Customer"])
    rule_reply_received(lead=entry.lead, actor=actor)
    assert stage_of(entry.lead, pipeline).name == "Customer"
    assert not Task.objects.filter(lead=entry.lead).exists()


def test_reply_rule_can_be_switched_off(workspace, entry, pipeline, actor):
    pipeline_settings_update(workspace=workspace, data={"reply_moves_to_warm": False})
    rule_reply_received(lead=entry.lead, actor=actor)
    assert stage_of(entry.lead, pipeline).name == "Cold"


def test_a_payment_makes_a_customer_at_catch_up_zero_with_the_amount(
    entry, stages, pipeline, actor
):
    at(entry, stages["Warm"])
    PipelineEntry.objects.filter(pk=entry.pk).update(catch_up_count=2)
    rule_customer_paid(
        lead=entry.lead,
        actor=Actor.integration("stripe"),
        amount_minor=49_00,
        currency="eur",
        event_key="evt_1",
    )
    entry.refresh_from_db()
    assert entry.stage.name == "Customer"
    assert (entry.catch_up_count, entry.value_minor, entry.currency) == (0, 4900, "EUR")


def test_a_replayed_payment_webhook_applies_once(entry, stages, pipeline, actor):
    stripe = Actor.integration("stripe")
    rule_customer_paid(lead=entry.lead, actor=stripe, event_key="evt_1")
    conversation_log(lead=entry.lead, kind="call", actor=actor)
    rule_customer_paid(lead=entry.lead, actor=stripe, event_key="evt_1")
    assert stage_of(entry.lead, pipeline).name == "Catch-up 1"


def test_payment_rule_can_be_switched_off(workspace, entry, pipeline, actor):
    pipeline_settings_update(workspace=workspace, data={"payment_moves_to_customer": False})
    rule_customer_paid(lead=entry.lead, actor=actor)
    assert stage_of(entry.lead, pipeline).name == "Cold"


def test_each_conversation_moves_a_customer_to_the_next_catch_up(entry, stages, pipeline, actor):
    rule_customer_paid(lead=entry.lead, actor=actor)
    for expected in ("Catch-up 1", "Catch-up 2", "Catch-up 3", "Catch-up 4"):
        conversation_log(lead=entry.lead, kind="meeting", actor=actor)
        assert stage_of(entry.lead, pipeline).name == expected
    conversation_log(lead=entry.lead, kind="note", actor=actor, body="Lunch, happy customer")
    entry.refresh_from_db()
    assert entry.stage.name == "Catch-up 4"
    assert entry.catch_up_count == 5


def test_conversations_with_a_prospect_move_nothing(entry, pipeline, actor):
    conversation_log(lead=entry.lead, kind="call", actor=actor)
    assert stage_of(entry.lead, pipeline).name == "Cold"


def test_conversation_rule_switched_off_still_dates_the_conversation(
    workspace, entry, stages, pipeline, actor
):
    at(entry, stages["Customer"])
    pipeline_settings_update(
        workspace=workspace, data={"conversation_moves_to_next_catch_up": False}
    )
    conversation_log(lead=entry.lead, kind="call", actor=actor)
    entry.refresh_from_db()
    assert entry.stage.name == "Customer"
    assert entry.catch_up_count == 1 and entry.last_conversation_at is not None


def test_reaching_catch_up_4_asks_the_owner_for_2_referrals_once(
    entry, stages, pipeline, actor, member
):
    PipelineEntry.objects.filter(pk=entry.pk).update(owner=member)
    entry = at(entry, stages["Catch-up 3"])
    conversation_log(lead=entry.lead, kind="call", actor=actor)
    task = Task.objects.get(lead=entry.lead, kind=TaskKind.ASK_REFERRAL)
    assert task.title == "Ask for 2 referrals"
    assert task.assignee == member
    conversation_log(lead=entry.lead, kind="call", actor=actor)
    assert Task.objects.filter(lead=entry.lead, kind=TaskKind.ASK_REFERRAL).count() == 1


def test_referral_ask_can_be_switched_off(workspace, entry, stages, actor):
    pipeline_settings_update(workspace=workspace, data={"last_catch_up_asks_for_referrals": False})
    entry = at(entry, stages["Catch-up 3"])
    conversation_log(lead=entry.lead, kind="call", actor=actor)
    assert not Task.objects.filter(kind=TaskKind.ASK_REFERRAL).exists()


def test_rules_refuse_unknown_kinds(entry, actor):
    from crm.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        engagement_log(lead=entry.lead, kind="email_sent", actor=actor)
    with pytest.raises(ValidationFailed):
        conversation_log(lead=entry.lead, kind="liked", actor=actor)
