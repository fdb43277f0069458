"""Sending and inbox sync record the email events that webhooks deliver."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from crm.models import Event
from outreach.inbox.sync import inbox_sync
from outreach.models import OutboundMessage
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message
from outreach.services.enrollments import enrollments_add
from tests.factories import LeadFactory
from tests.outreach import mail_samples

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


def _send_first_step(workspace, sequence, actor):  # type: ignore[no-untyped-def]
    lead = LeadFactory(workspace=workspace, first_name="Ada", email="ada@prospect.test")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None)
        message = OutboundMessage.objects.get(lead=lead)
        assert send_message(message_id=message.pk).outcome == "sent"
    message.refresh_from_db()
    return message


def test_a_sent_email_is_an_event_whose_lead_is_built_at_delivery(
    workspace, sequence, actor, smtp_server
):
    message = _send_first_step(workspace, sequence, actor)
    event = Event.objects.get(type="email.sent")
    assert event.subject_ids == [message.lead_id]
    assert "lead" not in event.payload  # the send path does not serialize the lead
    assert event.payload["email"]["message_id"] == message.message_id
    assert event.payload["email"]["step"] == 1
    assert event.payload["actor"]["type"] == "system"


def test_a_reply_and_a_bounce_are_events(
    workspace, sequence, actor, smtp_server, imap_server, inbox_user, mailbox
):
    message = _send_first_step(workspace, sequence, actor)
    imap_server.append(
        inbox_user,
        mail_samples.reply(to_message_id=message.message_id, sender="ada@prospect.test"),
    )
    inbox_sync(mailbox=mailbox)
    replied = Event.objects.get(type="email.replied")
    assert replied.subject_ids == [message.lead_id]
    assert replied.payload["reply"]["in_reply_to"] == message.message_id
