"""Send windows live in the mailbox's (or the lead's) time zone, daylight saving included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from outreach.models import Enrollment, OutboundMessage
from outreach.sending.planner import plan_due_sends
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from outreach.windows import add_days, next_window_opening, window_contains
from tests.factories import LeadFactory

UTC = dt.UTC
OFFICE_HOURS = {
    "window_weekdays": [0, 1, 2, 3, 4],
    "window_start": dt.time(9, 0),
    "window_end": dt.time(17, 0),
}


@pytest.fixture
def tokyo_mailbox(mailbox):
    return mailbox_update(mailbox=mailbox, data={**OFFICE_HOURS, "timezone": "Asia/Tokyo"})


@pytest.fixture
def stockholm_mailbox(mailbox):
    return mailbox_update(mailbox=mailbox, data={**OFFICE_HOURS, "timezone": "Europe/Stockholm"})


def test_a_tokyo_window_opens_at_nine_in_tokyo(tokyo_mailbox):
    tokyo = ZoneInfo("Asia/Tokyo")
    monday_10_utc = dt.datetime(2030, 3, 4, 10, 0, tzinfo=UTC)  # 19:00 in Tokyo: closed
    assert not window_contains(tokyo_mailbox, monday_10_utc, tokyo)
    assert window_contains(tokyo_mailbox, dt.datetime(2030, 3, 4, 1, 0, tzinfo=UTC), tokyo)
    opening = next_window_opening(tokyo_mailbox, monday_10_utc, tokyo)
    assert opening == dt.datetime(2030, 3, 5, 0, 0, tzinfo=UTC)  # Tuesday 09:00 in Tokyo


def test_friday_evening_in_tokyo_waits_for_monday_morning_there(tokyo_mailbox):
    tokyo = ZoneInfo("Asia/Tokyo")
    friday_evening = dt.datetime(2030, 3, 8, 9, 0, tzinfo=UTC)  # Friday 18:00 in Tokyo
    opening = next_window_opening(tokyo_mailbox, friday_evening, tokyo)
    assert opening.astimezone(tokyo) == dt.datetime(2030, 3, 11, 9, 0, tzinfo=tokyo)


def test_the_planner_defers_to_the_mailboxs_window(workspace, sequence, tokyo_mailbox, actor):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(dt.datetime(2030, 3, 4, 10, 0, tzinfo=UTC), tick=False):
        assert plan_due_sends(now=timezone.now(), enqueue=lambda *a: None) == {"outside_window": 1}
    assert Enrollment.objects.get().next_send_at == dt.datetime(2030, 3, 5, 0, 0, tzinfo=UTC)
    with time_machine.travel(dt.datetime(2030, 3, 5, 0, 1, tzinfo=UTC), tick=False):
        assert plan_due_sends(now=timezone.now(), enqueue=lambda *a: None) == {"planned": 1}


def test_nine_in_stockholm_stays_nine_across_the_spring_dst_change(stockholm_mailbox):
    stockholm = ZoneInfo("Europe/Stockholm")
    # Clocks go forward on Sunday 31 March 2030: 09:00 is 08:00 UTC before, 07:00 UTC after.
    friday_late = dt.datetime(2030, 3, 29, 16, 30, tzinfo=UTC)
    assert next_window_opening(stockholm_mailbox, friday_late, stockholm) == dt.datetime(
        2030, 4, 1, 7, 0, tzinfo=UTC
    )
    thursday_early = dt.datetime(2030, 3, 28, 7, 30, tzinfo=UTC)  # 08:30 CET
    assert next_window_opening(stockholm_mailbox, thursday_early, stockholm) == dt.datetime(
        2030, 3, 28, 8, 0, tzinfo=UTC
    )
    monday = dt.datetime(2030, 4, 1, 7, 30, tzinfo=UTC)  # 09:30 CEST: open
    assert window_contains(stockholm_mailbox, monday, stockholm)


def test_nine_in_stockholm_stays_nine_across_the_autumn_dst_change(stockholm_mailbox):
    stockholm = ZoneInfo("Europe/Stockholm")
    # Clocks go back on Sunday 27 October 2030: Monday 09:00 is 08:00 UTC again.
    friday_late = dt.datetime(2030, 10, 25, 15, 30, tzinfo=UTC)
    assert next_window_opening(stockholm_mailbox, friday_late, stockholm) == dt.datetime(
        2030, 10, 28, 8, 0, tzinfo=UTC
    )


def test_a_follow_up_delay_keeps_the_local_hour_across_dst():
    stockholm = ZoneInfo("Europe/Stockholm")
    sent = dt.datetime(2030, 3, 29, 9, 0, tzinfo=UTC)  # Friday 10:00 CET
    later = add_days(sent, 3, business=False, zone=stockholm)
    assert later.astimezone(stockholm).hour == 10
    assert later == dt.datetime(2030, 4, 1, 8, 0, tzinfo=UTC)
    assert add_days(sent, 1, business=True, zone=stockholm).date() == dt.date(2030, 4, 1)


def test_the_leads_time_zone_wins_when_the_sequence_asks_for_it(
    workspace, sequence, tokyo_mailbox, actor
):
    sequence.use_lead_timezone = True
    sequence.save()
    lead = LeadFactory(workspace=workspace, timezone="America/New_York")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    # Monday 15:00 UTC: 11:00 in New York (open), midnight in Tokyo (closed).
    with time_machine.travel(dt.datetime(2030, 3, 4, 15, 0, tzinfo=UTC), tick=False):
        assert plan_due_sends(now=timezone.now(), enqueue=lambda *a: None) == {"planned": 1}
    assert OutboundMessage.objects.count() == 1
