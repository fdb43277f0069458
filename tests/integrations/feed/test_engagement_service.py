"""engagement_record: idempotent actions, the timeline, the stage rule and skips."""

from __future__ import annotations

import pytest

from crm.errors import ValidationFailed
from crm.models import Activity, ActivityKind, Event
from integrations.feed.engagement_models import Engagement
from integrations.feed.services.engagements import engagement_record
from pipelines.models import PipelineEntry
from tests.factories import CompanyFactory, LeadFactory
from tests.integrations.feed.engagement_data import make_post

pytestmark = pytest.mark.django_db


def record(workspace, owner, actor, lead, kind, post=None, comment=""):
    return engagement_record(
        workspace=workspace, user=owner, lead=lead, post=post, kind=kind, actor=actor,
        comment=comment,
    )  # fmt: skip


def test_a_like_goes_on_the_timeline_with_the_post_id(workspace, owner, actor, lead):
    post = make_post(lead=lead)
    result = record(workspace, owner, actor, lead, "liked", post)
    assert result.created
    activity = Activity.objects.get(lead=lead, kind=ActivityKind.LIKED)
    assert activity.payload["post_id"] == post.pk
    assert result.engagement.activity_id == activity.pk


def test_the_same_action_twice_is_recorded_once(workspace, owner, actor, lead):
    post = make_post(lead=lead)
    first = record(workspace, owner, actor, lead, "commented", post, "Great point")
    again = record(workspace, owner, actor, lead, "commented", post, "Great point")
    assert not again.created
    assert again.engagement.pk == first.engagement.pk
    assert Engagement.objects.count() == 1
    assert Activity.objects.filter(lead=lead, kind=ActivityKind.COMMENTED).count() == 1
    assert Activity.objects.get(kind=ActivityKind.COMMENTED).body == "Great point"


def test_another_member_liking_the_same_post_is_a_second_engagement(
    workspace, owner, member, actor, lead
):
    post = make_post(lead=lead)
    record(workspace, owner, actor, lead, "liked", post)
    record(workspace, member, actor, lead, "liked", post)
    assert Engagement.objects.filter(post=post).count() == 2


def test_an_engagement_moves_a_cold_lead_to_engaged(workspace, owner, actor, lead):
    record(workspace, owner, actor, lead, "liked", make_post(lead=lead))
    assert PipelineEntry.objects.get(lead=lead).stage.name == "Engaged"


def test_a_skip_hides_the_post_but_writes_nothing_on_the_timeline(workspace, owner, actor, lead):
    record(workspace, owner, actor, lead, "skipped", make_post(lead=lead))
    assert Engagement.objects.filter(kind="skipped").count() == 1
    assert not Activity.objects.filter(lead=lead, kind__in=["liked", "commented"]).exists()
    assert not PipelineEntry.objects.filter(lead=lead, stage__name="Engaged").exists()


def test_a_skip_needs_a_post(workspace, owner, actor, lead):
    with pytest.raises(ValidationFailed):
        record(workspace, owner, actor, lead, "skipped")


def test_a_connection_without_a_post_is_once_a_day(workspace, owner, actor, lead):
    record(workspace, owner, actor, lead, "connected")
    again = record(workspace, owner, actor, lead, "connected")
    assert not again.created
    assert Activity.objects.filter(lead=lead, kind=ActivityKind.CONNECTED).count() == 1


def test_another_leads_post_is_refused(workspace, owner, actor, lead):
    other = LeadFactory(workspace=workspace)
    with pytest.raises(ValidationFailed):
        record(workspace, owner, actor, lead, "liked", make_post(lead=other))


def test_a_company_post_is_logged_on_a_lead_of_the_company(workspace, owner, actor):
    company = CompanyFactory(workspace=workspace)
    lead = LeadFactory(workspace=workspace, company=company)
    post = make_post(company=company)
    record(workspace, owner, actor, lead, "liked", post)
    assert Activity.objects.get(lead=lead, kind=ActivityKind.LIKED).payload["post_id"] == post.pk
    stranger = LeadFactory(workspace=workspace)
    with pytest.raises(ValidationFailed):
        record(workspace, owner, actor, stranger, "liked", post)


def test_an_unknown_kind_is_refused(workspace, owner, actor, lead):
    with pytest.raises(ValidationFailed):
        record(workspace, owner, actor, lead, "loved", make_post(lead=lead))


def test_the_engagement_event_carries_the_post_id(workspace, owner, actor, lead):
    post = make_post(lead=lead)
    record(workspace, owner, actor, lead, "liked", post)
    event = Event.objects.filter(type="engagement.logged").latest("id")
    assert event.payload["engagement"]["post_id"] == post.pk
