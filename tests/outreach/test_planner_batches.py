"""The set-based planner: what a batch of due enrollments turns into, mailbox by mailbox."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest

from crm.models import Lead
from outreach.caps import quota_used
from outreach.models import (
    Enrollment,
    EnrollmentStatus,
    MessageStatus,
    OutboundMessage,
    SendingDomain,
)
from outreach.sending import mailbox_plan
from outreach.sending.planner import plan_due_sends
from outreach.services.mailboxes import mailbox_create, mailbox_update
from outreach.services.sequences import sequence_activate, sequence_create, step_add
from outreach.services.suppression import suppression_add
from tests.outreach.conftest import smtp_settings

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


def enroll(workspace, sequence, mailboxes, emails, *, slots=None, **lead_fields):
    leads = Lead.objects.bulk_create(
        Lead(workspace=workspace, first_name=f"Lead{i}", email=email, **lead_fields)
        for i, email in enumerate(emails)
    )
    return Enrollment.objects.bulk_create(
        Enrollment(
            workspace=workspace,
            sequence=sequence,
            lead=lead,
            mailbox=mailboxes[i % len(mailboxes)],
            slots=(slots or {}).get(lead.email, {}),
            next_send_at=MONDAY_10 - dt.timedelta(seconds=1 + i),
        )
        for i, lead in enumerate(leads)
    )


def tick(now=MONDAY_10, **kw):
    queued: list[tuple[int, float]] = []
    outcomes = plan_due_sends(now=now, enqueue=lambda pk, delay: queued.append((pk, delay)), **kw)
    return outcomes, queued


@pytest.fixture
def roomy(sending_domain, mailbox):
    sending_domain.daily_cap = 1000
    sending_domain.save()
    return mailbox_update(mailbox=mailbox, data={"daily_cap": 1000, "ramp_start": 1000})


def emails(n, tag="lead"):
    return [f"{tag}{i}@p{i % 5}.test" for i in range(n)]


def test_keyset_batches_plan_every_due_enrollment_once(
    workspace, sequence, roomy, sending_domain, smtp_server, django_capture_on_commit_callbacks
):
    second = mailbox_create(
        workspace=workspace,
        domain=sending_domain,
        address="second@mail.acme.test",
        data=smtp_settings(smtp_server, daily_cap=1000, ramp_start=1000),
    )
    enroll(workspace, sequence, [roomy, second], emails(25))

    with django_capture_on_commit_callbacks(execute=True):
        outcomes, queued = tick(batch_size=4)

    assert outcomes == {"planned": 25}
    assert len(queued) == len({pk for pk, _ in queued}) == 25
    assert OutboundMessage.objects.filter(status=MessageStatus.QUEUED).count() == 25
    assert not Enrollment.objects.filter(next_send_at__isnull=False).exists()
    assert quota_used("mailbox", roomy.pk, MONDAY_10.date()) == 13
    assert quota_used("mailbox", second.pk, MONDAY_10.date()) == 12
    assert quota_used("domain", sending_domain.pk, MONDAY_10.date()) == 25


def test_blocked_leads_of_a_batch_are_stopped_and_the_others_planned(workspace, sequence, roomy):
    addresses = emails(6)
    enroll(workspace, sequence, [roomy], addresses)
    suppression_add(workspace=workspace, value=addresses[0], reason="unsubscribed")
    suppression_add(workspace=workspace, value=addresses[1].split("@")[1], reason="complaint")
    Lead.objects.filter(email=addresses[5]).update(do_not_contact=True)

    outcomes, _ = tick()

    # addresses[1]'s domain (p1.test) is suppressed as a whole.
    assert outcomes == {"planned": 3, "blocked": 3}
    stopped = Enrollment.objects.filter(status=EnrollmentStatus.STOPPED)
    assert {e.stop_reason for e in stopped} == {"suppressed", "do-not-contact"}
    assert sorted(OutboundMessage.objects.values_list("to_email", flat=True)) == sorted(
        addresses[2:5]
    )
    assert quota_used("mailbox", roomy.pk, MONDAY_10.date()) == 3


def test_a_short_gap_spaces_several_sends_within_the_horizon(
    workspace, sequence, roomy, django_capture_on_commit_callbacks
):
    mailbox_update(mailbox=roomy, data={"gap_min_seconds": 20, "gap_max_seconds": 20})
    enroll(workspace, sequence, [roomy], emails(6))

    with django_capture_on_commit_callbacks(execute=True):
        outcomes, queued = tick()

    # 0, 20, 40 and 60 s fit the 60 s horizon; the rest waits for the mailbox's next turn.
    assert outcomes == {"planned": 4, "mailbox_busy": 2}
    assert [delay for _, delay in queued] == [0, 20, 40, 60]
    sends = list(
        OutboundMessage.objects.order_by("send_after").values_list("send_after", flat=True)
    )
    assert sends == [MONDAY_10 + dt.timedelta(seconds=s) for s in (0, 20, 40, 60)]
    roomy.refresh_from_db()
    assert roomy.next_free_at == MONDAY_10 + dt.timedelta(seconds=80)
    waiting = Enrollment.objects.filter(next_send_at__isnull=False)
    assert {e.next_send_at for e in waiting} == {roomy.next_free_at}


def test_jitter_keeps_every_gap_within_its_bounds(workspace, sequence, roomy):
    mailbox_update(mailbox=roomy, data={"gap_min_seconds": 5, "gap_max_seconds": 9})
    enroll(workspace, sequence, [roomy], emails(30))

    tick()

    sends = list(
        OutboundMessage.objects.order_by("send_after").values_list("send_after", flat=True)
    )
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(sends)]
    assert len(sends) >= 7  # at least 60 / 9 + 1 fit the horizon
    assert all(5 <= gap <= 9 for gap in gaps)
    assert len(set(gaps)) > 1  # jittered, not a fixed step


def test_a_cap_nearly_reached_takes_exactly_what_is_left(workspace, sequence, roomy):
    mailbox_update(mailbox=roomy, data={"daily_cap": 30, "ramp_start": 30})
    enroll(workspace, sequence, [roomy], emails(27, "early"))
    assert tick()[0] == {"planned": 27}
    enroll(workspace, sequence, [roomy], emails(10, "late"))

    outcomes, _ = tick(MONDAY_10 + dt.timedelta(minutes=5))

    assert outcomes == {"planned": 3, "mailbox_cap": 7}
    assert quota_used("mailbox", roomy.pk, MONDAY_10.date()) == 30
    tomorrow = dt.datetime(2030, 3, 5, tzinfo=dt.UTC)
    waiting = Enrollment.objects.filter(next_send_at__isnull=False)
    assert {e.next_send_at for e in waiting} == {tomorrow}


def test_an_email_that_cannot_be_rendered_fails_alone_and_takes_no_quota(workspace, roomy):
    sequence = sequence_create(workspace=workspace, name="Slots", mailboxes=[roomy])
    step_add(sequence=sequence, subject="About {{slot1}}", body="Hi {{first_name|there}}")
    sequence_activate(sequence=sequence)
    addresses = emails(3)
    slots = {addresses[0]: {"slot1": "your launch"}, addresses[2]: {"slot1": "Q3"}}
    enroll(workspace, sequence, [roomy], addresses, slots=slots)

    outcomes, _ = tick()

    assert outcomes == {"planned": 2, "failed": 1}
    failed = Enrollment.objects.get(status=EnrollmentStatus.FAILED)
    assert failed.lead.email == addresses[1]
    assert "slot1" in failed.stop_reason
    assert quota_used("mailbox", roomy.pk, MONDAY_10.date()) == 2
    assert sorted(OutboundMessage.objects.values_list("subject", flat=True)) == [
        "About Q3",
        "About your launch",
    ]


def test_a_step_that_already_has_a_live_message_is_never_planned_again(workspace, sequence, roomy):
    [enrollment] = enroll(workspace, sequence, [roomy], emails(1))
    tick()
    first = OutboundMessage.objects.get()
    # Someone puts the enrollment back on the step it was already sent.
    OutboundMessage.objects.filter(pk=first.pk).update(status=MessageStatus.SENT)
    Enrollment.objects.filter(pk=enrollment.pk).update(step_position=0, next_send_at=MONDAY_10)

    outcomes, queued = tick(MONDAY_10 + dt.timedelta(minutes=1))

    assert outcomes == {"duplicate": 1}
    assert queued == []
    assert OutboundMessage.objects.count() == 1
    enrollment.refresh_from_db()
    assert enrollment.next_send_at == MONDAY_10 + dt.timedelta(minutes=1, hours=1)


def test_leads_of_one_mailbox_wait_for_their_own_windows(workspace, sequence, roomy):
    sequence.use_lead_timezone = True
    sequence.save()
    office = {"window_weekdays": [0, 1, 2, 3, 4], "window_start": dt.time(9, 0)}
    mailbox_update(mailbox=roomy, data={**office, "window_end": dt.time(17, 0)})
    enroll(workspace, sequence, [roomy], emails(2, "ny"), timezone="America/New_York")
    enroll(workspace, sequence, [roomy], emails(2, "tokyo"), timezone="Asia/Tokyo")

    # Monday 15:00 UTC: 11:00 in New York, midnight in Tokyo.
    outcomes, _ = tick(dt.datetime(2030, 3, 4, 15, 0, tzinfo=dt.UTC))

    assert outcomes == {"planned": 2, "outside_window": 2}
    assert set(OutboundMessage.objects.values_list("to_email", flat=True)) == set(emails(2, "ny"))
    tokyo_nine = dt.datetime(2030, 3, 5, 0, 0, tzinfo=dt.UTC)  # Tuesday 09:00 in Tokyo
    waiting = Enrollment.objects.filter(next_send_at__isnull=False)
    assert {e.next_send_at for e in waiting} == {tokyo_nine}


def test_sends_are_enqueued_only_once_the_group_has_committed(
    workspace, sequence, roomy, django_capture_on_commit_callbacks
):
    enroll(workspace, sequence, [roomy], emails(3))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcomes, queued = tick()

    assert outcomes == {"planned": 3}
    assert queued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sorted(pk for pk, _ in queued) == sorted(
        OutboundMessage.objects.values_list("pk", flat=True)
    )


def test_a_refused_insert_rolls_back_the_whole_group(workspace, sequence, roomy, monkeypatch):
    enroll(workspace, sequence, [roomy], emails(3))
    # Every message of the group gets the same Message-ID: the database refuses the insert.
    same = uuid.uuid4()
    monkeypatch.setattr(mailbox_plan.uuid, "uuid4", lambda: same)

    outcomes, queued = tick()

    assert outcomes == {}
    assert queued == []
    assert OutboundMessage.objects.count() == 0
    assert quota_used("mailbox", roomy.pk, MONDAY_10.date()) == 0
    assert quota_used("domain", roomy.domain_id, MONDAY_10.date()) == 0
    assert Enrollment.objects.filter(next_send_at__lte=MONDAY_10).count() == 3  # still due
    monkeypatch.undo()
    assert tick(MONDAY_10 + dt.timedelta(minutes=1))[0] == {"planned": 3}


def test_a_paused_domain_defers_all_its_mailboxes_due_enrollments(
    workspace, sequence, roomy, sending_domain
):
    enroll(workspace, sequence, [roomy], emails(4))
    SendingDomain.objects.filter(pk=sending_domain.pk).update(
        state="paused", paused_reason="DMARC missing"
    )

    outcomes, queued = tick(batch_size=2)

    assert outcomes == {"domain_paused": 4}
    assert queued == []
    later = MONDAY_10 + dt.timedelta(hours=1)
    assert set(Enrollment.objects.values_list("next_send_at", flat=True)) == {later}
