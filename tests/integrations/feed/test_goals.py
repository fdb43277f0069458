"""Daily goals: counted in the member's time zone, the streak and the last seven days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm.errors import ValidationFailed
from crm.models import Membership
from integrations.feed.goals import goal_progress, team_progress
from integrations.feed.services.engagements import engagement_record
from integrations.feed.services.goals import goals_set
from tests.factories import LeadFactory
from tests.integrations.feed.engagement_data import make_post

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def engage(workspace, user, actor, kind="liked", lead=None):
    lead = lead or LeadFactory(workspace=workspace)
    engagement_record(
        workspace=workspace, user=user, lead=lead, post=make_post(lead=lead), kind=kind,
        actor=actor,
    )  # fmt: skip


def membership(workspace, user) -> Membership:
    return Membership.objects.select_related("workspace").get(workspace=workspace, user=user)


def test_the_defaults_are_twenty_engagements_and_five_comments(workspace, owner):
    progress = goal_progress(membership=membership(workspace, owner))
    assert (progress.engagements_target, progress.comments_target) == (20, 5)
    assert progress.today.engagements == 0


def test_likes_comments_and_connections_count_but_skips_do_not(workspace, owner, actor):
    for kind in ("liked", "commented", "connected", "skipped"):
        engage(workspace, owner, actor, kind)
    progress = goal_progress(membership=membership(workspace, owner))
    assert progress.today.engagements == 3
    assert progress.today.comments == 1


def test_a_day_ends_at_midnight_in_the_members_time_zone(workspace, owner, actor):
    goals_set(workspace=workspace, user=owner, time_zone="Asia/Tokyo")
    # 23:30 in Tokyo on 3 March is 14:30 UTC: still the 3rd for the member.
    with time_machine.travel(dt.datetime(2026, 3, 3, 23, 30, tzinfo=TOKYO), tick=False):
        engage(workspace, owner, actor)
        engage(workspace, owner, actor)
        assert goal_progress(membership=membership(workspace, owner)).today.engagements == 2
    # 00:10 on the 4th in Tokyo (still the 3rd in UTC): a new day, nothing done yet.
    with time_machine.travel(dt.datetime(2026, 3, 4, 0, 10, tzinfo=TOKYO), tick=False):
        progress = goal_progress(membership=membership(workspace, owner))
        assert progress.today.day == dt.date(2026, 3, 4)
        assert progress.today.engagements == 0
        engage(workspace, owner, actor)
        progress = goal_progress(membership=membership(workspace, owner))
        assert progress.today.engagements == 1
        assert [d.engagements for d in progress.last_days[-2:]] == [2, 1]


def test_the_same_moments_fall_on_one_day_in_utc(workspace, owner, actor):
    with time_machine.travel(dt.datetime(2026, 3, 3, 23, 30, tzinfo=TOKYO), tick=False):
        engage(workspace, owner, actor)
    with time_machine.travel(dt.datetime(2026, 3, 4, 0, 10, tzinfo=TOKYO), tick=False):
        engage(workspace, owner, actor)
        assert goal_progress(membership=membership(workspace, owner)).today.engagements == 2


def test_the_streak_counts_days_met_in_a_row(workspace, owner, actor):
    goals_set(workspace=workspace, user=owner, engagements=1, comments=0)
    start = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    for day in (0, 2, 3, 4):  # the 2nd is missed
        with time_machine.travel(start + dt.timedelta(days=day), tick=False):
            engage(workspace, owner, actor)
    with time_machine.travel(start + dt.timedelta(days=5), tick=False):
        progress = goal_progress(membership=membership(workspace, owner))
        # Today (the 6th) is not met yet and does not break the streak of the 3rd-5th.
        assert progress.streak == 3
        assert [d.met for d in progress.last_days] == [False, True, False, True, True, True, False]
        engage(workspace, owner, actor)
        assert goal_progress(membership=membership(workspace, owner)).streak == 4


def test_owners_see_the_team_and_members_only_themselves(workspace, owner, member, actor):
    engage(workspace, member, actor)
    team = team_progress(membership=membership(workspace, owner))
    assert {row.membership.user for row in team} == {owner, member}
    mine = team_progress(membership=membership(workspace, member))
    assert [row.membership.user for row in mine] == [member]
    assert mine[0].today.engagements == 1


def test_an_unknown_time_zone_is_refused(workspace, owner):
    with pytest.raises(ValidationFailed):
        goals_set(workspace=workspace, user=owner, time_zone="Mars/Olympus")


def test_a_negative_target_is_refused(workspace, owner):
    with pytest.raises(ValidationFailed):
        goals_set(workspace=workspace, user=owner, engagements=-1)


def test_a_streak_longer_than_a_month_is_counted_in_full(workspace, owner, actor):
    goals_set(workspace=workspace, user=owner, engagements=1, comments=0)
    start = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    lead = LeadFactory(workspace=workspace)
    for day in range(40):
        with time_machine.travel(start + dt.timedelta(days=day), tick=False):
            engage(workspace, owner, actor, lead=lead)
    with time_machine.travel(start + dt.timedelta(days=39, hours=6), tick=False):
        assert goal_progress(membership=membership(workspace, owner)).streak == 40
