"""What the sender does when the SMTP server says no, drops the line, or a worker dies."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from outreach.caps import quota_used
from outreach.models import (
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    MailboxState,
    MessageStatus,
    OutboundMessage,
)
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import (
    FAILURES_BEFORE_PAUSE,
    MAX_ATTEMPTS,
    send_message,
    sweep_stale_sends,
)
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from outreach.services.suppression import suppression_add
from tests.factories import LeadFactory

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def planned(workspace, sequence, actor):
    """One queued message for one lead (the send task not run yet)."""
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    return OutboundMessage.objects.get(lead=lead)


def test_a_4xx_answer_puts_the_message_back_for_a_retry(planned, smtp_server):
    smtp_server.set_mode("4xx")
    result = send_message(message_id=planned.pk)

    assert result.outcome == "retry"
    assert result.retry_in == 60
    planned.refresh_from_db()
    assert planned.status == MessageStatus.QUEUED
    assert planned.error.startswith("451")

    smtp_server.set_mode("accept")
    assert send_message(message_id=planned.pk).outcome == "sent"
    assert len(smtp_server.received) == 1


def test_it_gives_up_after_the_last_transient_attempt(planned, smtp_server):
    smtp_server.set_mode("4xx")
    outcomes = [send_message(message_id=planned.pk).outcome for _ in range(MAX_ATTEMPTS)]

    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert Enrollment.objects.get(pk=planned.enrollment_id).status == EnrollmentStatus.FAILED


def test_a_5xx_answer_fails_the_message_for_good(planned, smtp_server):
    smtp_server.set_mode("5xx")
    assert send_message(message_id=planned.pk).outcome == "failed"

    planned.refresh_from_db()
    assert planned.status == MessageStatus.FAILED
    assert "554" in planned.error
    enrollment = Enrollment.objects.get(pk=planned.enrollment_id)
    assert enrollment.status == EnrollmentStatus.FAILED
    assert send_message(message_id=planned.pk).outcome == "not_claimed"


def test_a_refused_recipient_fails_the_message(planned, smtp_server):
    smtp_server.set_mode("5xx-rcpt")
    assert send_message(message_id=planned.pk).outcome == "failed"
    planned.refresh_from_db()
    assert planned.error.startswith("550")


def test_a_connection_dropped_mid_send_is_unknown_and_never_resent(planned, smtp_server):
    smtp_server.set_mode("drop")
    assert send_message(message_id=planned.pk).outcome == "unknown"

    planned.refresh_from_db()
    assert planned.status == MessageStatus.UNKNOWN
    enrollment = Enrollment.objects.get(pk=planned.enrollment_id)
    assert enrollment.status == EnrollmentStatus.PAUSED
    assert enrollment.next_send_at is None
    smtp_server.set_mode("accept")
    assert send_message(message_id=planned.pk).outcome == "not_claimed"
    with time_machine.travel(MONDAY_10 + dt.timedelta(days=30), tick=False):
        assert plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None) == {}
    assert len(smtp_server.received) == 1  # the server got it once; we never sent it again


def test_a_refused_login_pauses_the_mailbox_with_the_servers_code(planned, smtp_server):
    mailbox = Mailbox.objects.get(pk=planned.mailbox_id)
    mailbox_update(mailbox=mailbox, data={"smtp_password": "wrong"})

    assert send_message(message_id=planned.pk).outcome == "cancelled"

    mailbox.refresh_from_db()
    assert mailbox.state == MailboxState.PAUSED
    assert mailbox.paused_reason == (
        "SMTP login refused: Authentication refused by the SMTP server (535)."
    )
    planned.refresh_from_db()
    assert planned.status == MessageStatus.CANCELLED
    assert quota_used("mailbox", mailbox.pk, planned.quota_mailbox_day) == 0
    enrollment = Enrollment.objects.get(pk=planned.enrollment_id)
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.next_send_at is not None  # planned again once the mailbox sends again


def test_several_failures_in_a_row_pause_the_mailbox(workspace, sequence, actor, smtp_server):
    leads = LeadFactory.create_batch(FAILURES_BEFORE_PAUSE, workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk for lead in leads], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None)
    smtp_server.set_mode("5xx")
    for message in OutboundMessage.objects.order_by("pk"):
        send_message(message_id=message.pk)

    mailbox = Mailbox.objects.get()
    assert mailbox.state == MailboxState.PAUSED
    assert f"{FAILURES_BEFORE_PAUSE} failed sends in a row" in mailbox.paused_reason


def test_an_address_suppressed_after_planning_is_not_sent_to(planned, smtp_server, workspace):
    suppression_add(workspace=workspace, value=planned.to_email, reason="unsubscribed")

    assert send_message(message_id=planned.pk).outcome == "cancelled"
    assert smtp_server.received == []
    assert Enrollment.objects.get(pk=planned.enrollment_id).status == EnrollmentStatus.STOPPED


def test_the_sweeper_marks_a_lost_claim_unknown_and_never_resends_it(planned, smtp_server):
    # A worker claimed the message, then died before any result was written.
    OutboundMessage.objects.filter(pk=planned.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(minutes=11)
    )
    swept = sweep_stale_sends()

    assert swept.unknown == 1
    planned.refresh_from_db()
    assert planned.status == MessageStatus.UNKNOWN
    assert send_message(message_id=planned.pk).outcome == "not_claimed"
    assert smtp_server.received == []


def test_the_sweeper_hands_back_queued_messages_whose_task_was_lost(planned):
    OutboundMessage.objects.filter(pk=planned.pk).update(
        send_after=timezone.now() - dt.timedelta(minutes=30)
    )
    assert sweep_stale_sends().requeue_ids == [planned.pk]


def test_a_sequence_paused_after_planning_sends_nothing_and_resumes_later(
    planned, smtp_server, sequence
):
    from outreach.services.sequences import sequence_pause, sequence_resume

    sequence_pause(sequence=sequence)
    assert send_message(message_id=planned.pk).outcome == "cancelled"
    enrollment = Enrollment.objects.get(pk=planned.enrollment_id)
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert smtp_server.received == []

    sequence_resume(sequence=sequence)
    with time_machine.travel(MONDAY_10 + dt.timedelta(minutes=5), tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None)
    again = OutboundMessage.objects.get(enrollment=enrollment, status=MessageStatus.QUEUED)
    assert send_message(message_id=again.pk).outcome == "sent"
    assert len(smtp_server.received) == 1


def test_resuming_after_an_unknown_delivery_skips_that_step(planned, smtp_server):
    from outreach.services.enrollments import enrollment_resume

    smtp_server.set_mode("drop")
    send_message(message_id=planned.pk)
    enrollment = enrollment_resume(enrollment=Enrollment.objects.get(pk=planned.enrollment_id))

    assert enrollment.step_position == 1
    smtp_server.set_mode("accept")
    with time_machine.travel(MONDAY_10 + dt.timedelta(minutes=5), tick=False):
        assert plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None) == {"planned": 1}
    follow_up = OutboundMessage.objects.get(step_position=1)
    # The lost message may well have arrived: the follow-up threads onto it.
    assert follow_up.in_reply_to == planned.message_id
    assert follow_up.subject == f"Re: {planned.subject}"
