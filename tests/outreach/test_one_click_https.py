"""RFC 8058 one-click unsubscribe needs https: an SMTP mailbox sends sequence mail only while
SITE_URL is https, and the user is told why (capture mailboxes keep working on plain http)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from crm.errors import ValidationFailed
from outreach.models import Enrollment, MessageStatus, OutboundMessage, SequenceStatus
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from outreach.services.sequences import sequence_activate, sequence_create, step_add
from tests.factories import LeadFactory

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)
PLAIN_HTTP = "http://127.0.0.1:8000"


@pytest.fixture
def draft(workspace, mailbox):
    sequence = sequence_create(workspace=workspace, name="Draft", mailboxes=[mailbox])
    step_add(sequence=sequence, subject="Hi", body="Hello {{first_name|there}}.")
    return sequence


@pytest.fixture
def enrolled(workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    return Enrollment.objects.get(lead=lead)


def test_activation_over_smtp_is_refused_while_site_url_is_not_https(settings, draft, mailbox):
    settings.SITE_URL = PLAIN_HTTP

    with pytest.raises(ValidationFailed) as refused:
        sequence_activate(sequence=draft)

    [reason] = refused.value.errors["mailboxes"]
    assert mailbox.address in reason and PLAIN_HTTP in reason
    assert "RFC 8058" in reason and "https" in reason
    draft.refresh_from_db()
    assert draft.status == SequenceStatus.DRAFT


def test_a_capture_mailbox_goes_live_on_plain_http(settings, draft, mailbox):
    settings.SITE_URL = PLAIN_HTTP
    mailbox_update(mailbox=mailbox, data={"transport": "capture"})

    assert sequence_activate(sequence=draft).status == SequenceStatus.ACTIVE


def test_the_sequence_page_and_the_api_say_why(settings, web, api, draft):
    settings.SITE_URL = PLAIN_HTTP

    page = web.get(f"/w/acme/outreach/sequences/{draft.pk}/")
    response = api.post(f"/api/v1/sequences/{draft.pk}/activate")

    assert "one-click unsubscribe (RFC 8058)" in page.content.decode()
    assert response.status_code == 422
    assert "RFC 8058" in str(response.json())


def test_a_live_sequence_plans_nothing_once_site_url_is_no_longer_https(
    settings, web, sequence, enrolled, smtp_server
):
    settings.SITE_URL = PLAIN_HTTP  # e.g. restarted without its https SITE_URL

    with time_machine.travel(MONDAY_10, tick=False):
        outcomes = plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)

    assert outcomes == {"unsubscribe_not_https": 1}
    assert not OutboundMessage.objects.exists()
    page = web.get(f"/w/acme/outreach/sequences/{sequence.pk}/").content.decode()
    assert "Live, but nothing is sent" in page and "RFC 8058" in page


def test_a_message_queued_before_is_held_at_send_time(settings, sequence, enrolled, smtp_server):
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    message = OutboundMessage.objects.get()
    settings.SITE_URL = PLAIN_HTTP

    result = send_message(message_id=message.pk)

    assert result.outcome == "cancelled" and "RFC 8058" in result.detail
    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    enrolled.refresh_from_db()
    assert enrolled.next_send_at is not None  # planned again once SITE_URL is https
