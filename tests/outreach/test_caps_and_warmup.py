"""Warm-up, ramp and caps: what may leave on a given day, enforced in the database."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from outreach.caps import mailbox_cap_on, quota_reserve, quota_reserve_many, quota_used
from outreach.models import Enrollment, OutboundMessage
from outreach.sending.planner import plan_due_sends
from outreach.services.domains import sending_domain_create
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_create
from outreach.services.sequences import sequence_activate, sequence_create, step_add
from tests.factories import LeadFactory
from tests.outreach.conftest import smtp_settings

ADDED = dt.date(2030, 3, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def make_sequence(workspace, mailboxes):
    sequence = sequence_create(workspace=workspace, name="Caps", mailboxes=mailboxes)
    step_add(sequence=sequence, subject="Hello {{first_name|there}}", body="Hi!")
    return sequence_activate(sequence=sequence)


def enroll(workspace, sequence, actor, n):
    leads = LeadFactory.create_batch(n, workspace=workspace)
    with time_machine.travel(at(ADDED, 0), tick=False):
        enrollments_add(sequence=sequence, lead_ids=[lead.pk for lead in leads], actor=actor)


def tick(day, hour=10):
    with time_machine.travel(at(day, hour), tick=False):
        return plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)


@pytest.fixture
def young_domain(workspace):
    return sending_domain_create(workspace=workspace, domain="fresh.test", added_on=ADDED)


@pytest.fixture
def ramping_mailbox(workspace, young_domain, smtp_server):
    settings = smtp_settings(smtp_server, daily_cap=30, ramp_start=5, ramp_step=2)
    settings.pop("ramp_starts_on")
    with time_machine.travel(at(ADDED), tick=False):
        return mailbox_create(
            workspace=workspace, domain=young_domain, address="a@fresh.test", data=settings
        )


def test_a_new_mailbox_ramps_from_the_day_its_domain_is_warm(ramping_mailbox, young_domain):
    assert ramping_mailbox.ramp_starts_on == young_domain.warm_on == ADDED + dt.timedelta(days=14)


def test_a_domain_sends_nothing_during_its_warm_up(workspace, ramping_mailbox, actor):
    sequence = make_sequence(workspace, [ramping_mailbox])
    enroll(workspace, sequence, actor, 3)

    assert tick(ADDED + dt.timedelta(days=13)) == {"warming_up": 3}
    assert OutboundMessage.objects.count() == 0
    warm = ADDED + dt.timedelta(days=14)
    # Deferred to the first moment of the first warm day (the fixture's window is all day).
    assert {e.next_send_at for e in Enrollment.objects.all()} == {at(warm, 0)}
    assert tick(warm) == {"planned": 3}


@pytest.mark.parametrize(
    "ramp_day, allowed", [(1, 5), (2, 7), (5, 13), (13, 29), (14, 30), (40, 30)]
)
def test_on_ramp_day_n_a_mailbox_sends_at_most_start_plus_step_times_n_minus_1(
    ramping_mailbox, ramp_day, allowed
):
    day = ramping_mailbox.ramp_starts_on + dt.timedelta(days=ramp_day - 1)
    assert mailbox_cap_on(ramping_mailbox, day) == allowed


def test_the_planner_stops_at_the_ramp_cap_and_continues_the_next_day(
    workspace, ramping_mailbox, young_domain, actor
):
    sequence = make_sequence(workspace, [ramping_mailbox])
    enroll(workspace, sequence, actor, 12)
    first_day = ramping_mailbox.ramp_starts_on  # a Saturday: the fixture's window is every day

    assert tick(first_day) == {"planned": 5, "mailbox_cap": 7}
    assert tick(first_day, hour=15) == {}  # deferred to tomorrow's window, not rescanned
    assert tick(first_day + dt.timedelta(days=1)) == {"planned": 7}


def test_the_domain_cap_counts_across_its_mailboxes(workspace, sending_domain, smtp_server, actor):
    sending_domain.daily_cap = 4
    sending_domain.save()
    mailboxes = [
        mailbox_create(
            workspace=workspace,
            domain=sending_domain,
            address=f"m{i}@mail.acme.test",
            data=smtp_settings(smtp_server),
        )
        for i in range(3)
    ]
    sequence = make_sequence(workspace, mailboxes)
    enroll(workspace, sequence, actor, 9)

    assert tick(ADDED + dt.timedelta(days=3)) == {"planned": 4, "domain_cap": 5}
    assert quota_used("domain", sending_domain.pk, ADDED + dt.timedelta(days=3)) == 4


def test_the_domain_day_turns_at_midnight_in_the_domains_time_zone(
    workspace, sending_domain, mailbox
):
    sending_domain.timezone = "Asia/Tokyo"
    sending_domain.daily_cap = 1
    sending_domain.save()
    # 14:30 UTC on the 4th is 23:30 in Tokyo; 15:30 UTC is already the 5th there.
    before = dt.datetime(2030, 3, 4, 14, 30, tzinfo=dt.UTC)
    after = before + dt.timedelta(hours=1)
    day_before, day_after = dt.date(2030, 3, 4), dt.date(2030, 3, 5)
    from outreach.caps import local_day

    assert local_day(before, "Asia/Tokyo") == day_before
    assert local_day(after, "Asia/Tokyo") == day_after
    kw = {"mailbox": mailbox, "domain": sending_domain, "mailbox_day": day_before}
    assert quota_reserve(**kw, domain_day=local_day(before, "Asia/Tokyo")) is None
    assert quota_reserve(**kw, domain_day=local_day(before, "Asia/Tokyo")) == "domain"
    assert quota_reserve(**kw, domain_day=local_day(after, "Asia/Tokyo")) is None


def test_a_full_domain_gives_the_mailbox_unit_back(workspace, sending_domain, mailbox):
    sending_domain.daily_cap = 1
    sending_domain.save()
    day = dt.date(2030, 3, 4)
    kw = {"mailbox": mailbox, "domain": sending_domain, "mailbox_day": day, "domain_day": day}
    assert quota_reserve(**kw) is None
    assert quota_reserve(**kw) == "domain"
    assert quota_used("mailbox", mailbox.pk, day) == 1


def test_the_gap_between_sends_spaces_a_mailboxs_messages(workspace, mailbox, actor):
    mailbox.gap_min_seconds, mailbox.gap_max_seconds = 300, 600
    mailbox.save()
    sequence = make_sequence(workspace, [mailbox])
    enroll(workspace, sequence, actor, 3)

    outcomes = tick(ADDED + dt.timedelta(days=3))

    assert outcomes == {"planned": 1, "mailbox_busy": 2}
    mailbox.refresh_from_db()
    gap = (mailbox.next_free_at - at(ADDED + dt.timedelta(days=3))).total_seconds()
    assert 300 <= gap <= 600
    waiting = {e.next_send_at for e in Enrollment.objects.filter(next_send_at__isnull=False)}
    assert waiting == {mailbox.next_free_at}


def test_several_units_are_reserved_up_to_what_is_left_and_no_further(
    workspace, sending_domain, mailbox
):
    mailbox.daily_cap, mailbox.ramp_start = 5, 5
    mailbox.save()
    day = dt.date(2030, 3, 4)
    kw = {"mailbox": mailbox, "domain": sending_domain, "mailbox_day": day, "domain_day": day}

    assert quota_reserve_many(**kw, units=3) == (3, None)
    assert quota_reserve_many(**kw, units=3) == (2, "mailbox")
    assert quota_reserve_many(**kw, units=1) == (0, "mailbox")
    assert quota_used("mailbox", mailbox.pk, day) == 5
    assert quota_used("domain", sending_domain.pk, day) == 5


def test_units_the_domain_refuses_go_back_to_the_mailbox(workspace, sending_domain, mailbox):
    sending_domain.daily_cap = 4
    sending_domain.save()
    day = dt.date(2030, 3, 4)
    kw = {"mailbox": mailbox, "domain": sending_domain, "mailbox_day": day, "domain_day": day}

    assert quota_reserve_many(**kw, units=6) == (4, "domain")
    assert quota_used("mailbox", mailbox.pk, day) == 4
    assert quota_reserve_many(**kw, units=2) == (0, "domain")
    assert quota_used("mailbox", mailbox.pk, day) == 4
