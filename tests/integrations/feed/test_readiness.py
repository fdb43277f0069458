"""Ready for outreach: engaged with on N different days and not contacted yet."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from crm.models import ActivityKind
from crm.services.activities import activity_record
from integrations.feed.readiness import lead_is_ready, ready_leads
from integrations.feed.services.engagements import engagement_record
from integrations.feed.services.goals import feed_settings_set
from tests.integrations.feed.engagement_data import make_post

pytestmark = pytest.mark.django_db

# Recent days: the dashboard looks among the leads engaged with in the last 90 days.
START = (timezone.now() - dt.timedelta(days=10)).replace(hour=10)


def engage_on_days(workspace, owner, actor, lead, days):
    for day in range(days):
        with time_machine.travel(START + dt.timedelta(days=day), tick=False):
            post = make_post(lead=lead)
            engagement_record(
                workspace=workspace, user=owner, lead=lead, post=post, kind="liked", actor=actor
            )


def test_three_days_of_engagement_make_a_lead_ready(workspace, owner, actor, lead):
    engage_on_days(workspace, owner, actor, lead, 2)
    assert not lead_is_ready(lead=lead)
    engage_on_days(workspace, owner, actor, lead, 3)
    assert lead_is_ready(lead=lead)
    leads, count = ready_leads(workspace=workspace)
    assert (leads, count) == ([lead], 1)


def test_several_likes_on_one_day_count_as_one_day(workspace, owner, actor, lead):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            engagement_record(
                workspace=workspace, user=owner, lead=lead, post=make_post(lead=lead),
                kind="liked", actor=actor,
            )  # fmt: skip
    assert not lead_is_ready(lead=lead)


@pytest.mark.parametrize(
    "contact", [ActivityKind.EMAIL_SENT, ActivityKind.DM_SENT, ActivityKind.EMAIL_REPLIED]
)
def test_a_contacted_lead_is_not_ready(workspace, owner, actor, lead, contact):
    engage_on_days(workspace, owner, actor, lead, 3)
    activity_record(lead=lead, kind=contact, actor=actor)
    assert not lead_is_ready(lead=lead)


def test_the_number_of_days_is_a_workspace_setting(workspace, owner, actor, lead):
    feed_settings_set(workspace=workspace, ready_after_engaged_days=2)
    engage_on_days(workspace, owner, actor, lead, 2)
    assert lead_is_ready(lead=lead)
