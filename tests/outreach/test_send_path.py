"""The send path end to end against a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from crm.models import Activity, ActivityKind
from outreach.models import Enrollment, EnrollmentStatus, MessageStatus, OutboundMessage
from outreach.rendering.compose import render_step, variant_for
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import _mark_sent, send_message
from outreach.services.enrollments import enrollments_add
from tests.factories import CompanyFactory, LeadFactory

# Far ahead of any enrollment made by the fixtures (made at the real "now").
MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


def run_tick(now, capture):
    with capture(execute=True):
        return plan_due_sends(now=now)


@pytest.fixture
def enrolled(workspace, sequence, actor):
    company = CompanyFactory(workspace=workspace, name="Initech")
    lead = LeadFactory(workspace=workspace, first_name="Ada", company=company)
    report = enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    return Enrollment.objects.get(pk=report.added[0])


def test_it_sends_the_first_step_with_every_required_header(
    enrolled, smtp_server, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_10, tick=False):
        outcomes = run_tick(timezone.now(), django_capture_on_commit_callbacks)

    assert outcomes == {"planned": 1}
    [got] = smtp_server.received
    mail = got.message
    assert got.rcpt_tos == [enrolled.lead.email]
    assert got.mail_from == "sender@mail.acme.test"
    assert mail["From"] == "Olivia Hart <sender@mail.acme.test>"
    assert mail["Message-ID"].endswith("@mail.acme.test>")
    assert mail["List-Unsubscribe"].strip().startswith("<https://crm.acme.test/u/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_content_type() == "text/plain"
    assert mail.get_payload(decode=True).decode().split(",")[0] in {"Hi Ada", "Hello Ada"}
    assert mail["Subject"] in {"Quick question for Initech", "A thought for Initech"}

    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.SENT
    assert message.message_id == mail["Message-ID"]
    enrolled.refresh_from_db()
    assert enrolled.step_position == 1
    assert enrolled.next_send_at.date() == dt.date(2030, 3, 7)
    assert Activity.objects.filter(lead=enrolled.lead, kind=ActivityKind.EMAIL_SENT).count() == 1


def test_a_same_thread_follow_up_carries_the_threading_headers(
    enrolled, smtp_server, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_10, tick=False):
        run_tick(timezone.now(), django_capture_on_commit_callbacks)
    with time_machine.travel(MONDAY_10 + dt.timedelta(days=3, minutes=1), tick=False):
        run_tick(timezone.now(), django_capture_on_commit_callbacks)

    first, second = (r.message for r in smtp_server.received)
    assert second["Subject"] == f"Re: {first['Subject']}"
    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"] == first["Message-ID"]
    assert second["Message-ID"] != first["Message-ID"]
    enrolled.refresh_from_db()
    assert enrolled.status == EnrollmentStatus.FINISHED


def test_the_preview_equals_what_the_server_received(
    enrolled, smtp_server, django_capture_on_commit_callbacks
):
    step = enrolled.sequence.steps.get(position=0)
    preview = render_step(
        enrollment=enrolled, step=step, variant=variant_for(step, enrolled), previous=None
    )
    with time_machine.travel(MONDAY_10, tick=False):
        run_tick(timezone.now(), django_capture_on_commit_callbacks)

    mail = smtp_server.received[0].message
    assert mail["Subject"] == preview.subject
    assert mail.get_payload(decode=True).decode().replace("\r\n", "\n") == preview.body_text
    assert preview.unsubscribe_url in mail["List-Unsubscribe"]


def test_a_tick_plans_nothing_twice(enrolled, smtp_server):
    queued = []
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: queued.append(pk))
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: queued.append(pk))
    assert OutboundMessage.objects.count() == 1


def test_a_message_is_sent_at_most_once_even_if_its_task_runs_twice(enrolled, smtp_server):
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    message = OutboundMessage.objects.get()

    assert send_message(message_id=message.pk).outcome == "sent"
    assert send_message(message_id=message.pk).outcome == "not_claimed"
    assert len(smtp_server.received) == 1


def test_the_capture_transport_keeps_the_mime_and_sends_nothing(
    enrolled, smtp_server, mailbox, django_capture_on_commit_callbacks
):
    mailbox.transport = "capture"
    mailbox.save()
    with time_machine.travel(MONDAY_10, tick=False):
        run_tick(timezone.now(), django_capture_on_commit_callbacks)

    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.SENT
    assert smtp_server.received == []
    assert f"Message-ID: {message.message_id}" in message.raw_mime
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.raw_mime


def test_an_enrollment_moved_on_by_hand_meanwhile_is_left_where_it_is(enrolled, smtp_server):
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    message = OutboundMessage.objects.get()
    later = MONDAY_10 + dt.timedelta(days=9)
    Enrollment.objects.filter(pk=enrolled.pk).update(step_position=1, next_send_at=later)

    assert send_message(message_id=message.pk).outcome == "sent"

    enrolled.refresh_from_db()
    assert (enrolled.step_position, enrolled.next_send_at) == (1, later)
    assert enrolled.status == EnrollmentStatus.ACTIVE


def test_the_last_step_of_a_paused_enrollment_does_not_finish_it(enrolled, smtp_server):
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    send_message(message_id=OutboundMessage.objects.get().pk)
    with time_machine.travel(MONDAY_10 + dt.timedelta(days=3, minutes=1), tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    follow_up = OutboundMessage.objects.get(step_position=1)
    Enrollment.objects.filter(pk=enrolled.pk).update(status=EnrollmentStatus.PAUSED)

    # Paused by a person while the follow-up was on the wire: its result is still recorded.
    OutboundMessage.objects.filter(pk=follow_up.pk).update(status=MessageStatus.SENDING)
    follow_up.refresh_from_db()
    _mark_sent(follow_up, b"raw")

    enrolled.refresh_from_db()
    assert enrolled.step_position == 2
    assert enrolled.status == EnrollmentStatus.PAUSED
