"""Inbox sync against a real IMAP server (dovecot): replies, bounces, auto-replies, unsubscribes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from crm.models import Activity, ActivityKind, EmailStatus, Task
from outreach.inbox.sync import InboxUnavailable, inbox_sync
from outreach.models import (
    Enrollment,
    EnrollmentStatus,
    InboundMessage,
    OutboundMessage,
    Suppression,
)
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from tests.factories import CompanyFactory, LeadFactory
from tests.outreach import mail_samples

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def sent(workspace, sequence, actor, smtp_server):
    """Step 1 sent to Ada; returns its OutboundMessage."""
    lead = LeadFactory(workspace=workspace, first_name="Ada", email="ada@prospect.test")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None)
        message = OutboundMessage.objects.get(lead=lead)
        assert send_message(message_id=message.pk).outcome == "sent"
    message.refresh_from_db()
    return message


def enrollment_of(message):
    return Enrollment.objects.get(pk=message.enrollment_id)


def test_a_reply_stops_the_enrollment_logs_it_and_creates_a_task(
    sent, imap_server, inbox_user, mailbox
):
    imap_server.append(
        inbox_user, mail_samples.reply(to_message_id=sent.message_id, sender="ada@prospect.test")
    )

    assert inbox_sync(mailbox=mailbox) == {"reply": 1}

    assert enrollment_of(sent).status == EnrollmentStatus.REPLIED
    activity = Activity.objects.get(lead=sent.lead, kind=ActivityKind.EMAIL_REPLIED)
    assert activity.body == "Sounds good, call me Tuesday."  # the quoted thread left out
    assert Task.objects.filter(lead=sent.lead, kind="follow_up").exists()
    inbound = InboundMessage.objects.get()
    assert inbound.outbound == sent
    with time_machine.travel(MONDAY_10 + dt.timedelta(days=4), tick=False):
        assert plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None) == {}


def test_a_reply_moves_the_lead_to_warm_when_the_pipeline_rule_exists(
    sent, imap_server, inbox_user, mailbox
):
    pipelines = pytest.importorskip("pipelines.services")
    if not hasattr(pipelines, "rule_reply_received"):
        pytest.skip("the pipelines app has no reply rule yet")
    from pipelines.models import PipelineEntry

    imap_server.append(
        inbox_user, mail_samples.reply(to_message_id=sent.message_id, sender="ada@prospect.test")
    )
    inbox_sync(mailbox=mailbox)

    entry = PipelineEntry.objects.get(lead=sent.lead)
    assert entry.stage.kind == "warm"


def test_a_reply_without_threading_headers_is_matched_by_its_sender(
    sent, imap_server, inbox_user, mailbox
):
    imap_server.append(
        inbox_user,
        mail_samples.plain_from(
            sender="Ada <ada@prospect.test>", subject="hello", body="Interested!"
        ),
    )
    assert inbox_sync(mailbox=mailbox) == {"reply": 1}
    assert enrollment_of(sent).status == EnrollmentStatus.REPLIED


def test_a_reply_stops_the_colleagues_when_the_sequence_says_so(
    workspace, sequence, actor, sent, imap_server, inbox_user, mailbox
):
    sequence.stop_company_on_reply = True
    sequence.save()
    company = CompanyFactory(workspace=workspace)
    sent.lead.company = company
    sent.lead.save()
    colleague = LeadFactory(workspace=workspace, company=company)
    enrollments_add(sequence=sequence, lead_ids=[colleague.pk], actor=actor)

    imap_server.append(
        inbox_user, mail_samples.reply(to_message_id=sent.message_id, sender="ada@prospect.test")
    )
    inbox_sync(mailbox=mailbox)

    assert Enrollment.objects.get(lead=colleague).status == EnrollmentStatus.STOPPED


def test_an_out_of_office_is_logged_and_the_sequence_continues(
    sent, imap_server, inbox_user, mailbox
):
    imap_server.append(
        inbox_user,
        mail_samples.out_of_office(to_message_id=sent.message_id, sender="ada@prospect.test"),
    )

    assert inbox_sync(mailbox=mailbox) == {"auto_reply": 1}
    enrollment = enrollment_of(sent)
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.next_send_at is not None
    assert not Activity.objects.filter(kind=ActivityKind.EMAIL_REPLIED).exists()


def test_a_hard_bounce_suppresses_the_address_and_marks_it_invalid(
    sent, imap_server, inbox_user, mailbox
):
    imap_server.append(
        inbox_user,
        mail_samples.delivery_report(
            original_message_id=sent.message_id, recipient="ada@prospect.test", status="5.1.1"
        ),
    )
    assert inbox_sync(mailbox=mailbox) == {"hard_bounce": 1}

    assert enrollment_of(sent).status == EnrollmentStatus.BOUNCED
    assert Suppression.objects.get().value == "ada@prospect.test"
    sent.lead.refresh_from_db()
    assert sent.lead.email_status == EmailStatus.INVALID
    assert Activity.objects.get(lead=sent.lead, kind=ActivityKind.BOUNCED).payload["hard"] is True


def test_a_soft_bounce_is_only_logged(sent, imap_server, inbox_user, mailbox):
    imap_server.append(
        inbox_user,
        mail_samples.delivery_report(
            original_message_id=sent.message_id, recipient="ada@prospect.test", status="4.2.2"
        ),
    )
    assert inbox_sync(mailbox=mailbox) == {"soft_bounce": 1}
    assert enrollment_of(sent).status == EnrollmentStatus.ACTIVE
    assert not Suppression.objects.exists()


def test_an_unsubscribe_by_reply_suppresses_the_sender(sent, imap_server, inbox_user, mailbox):
    imap_server.append(
        inbox_user,
        mail_samples.reply(
            to_message_id=sent.message_id,
            sender="ada@prospect.test",
            body="Please remove me from your list.",
        ),
    )
    assert inbox_sync(mailbox=mailbox) == {"unsubscribe": 1}
    assert enrollment_of(sent).status == EnrollmentStatus.UNSUBSCRIBED
    assert Suppression.objects.get().reason == "unsubscribed"


def test_it_reads_only_new_mail_on_the_next_sync(sent, imap_server, inbox_user, mailbox):
    imap_server.append(
        inbox_user,
        mail_samples.out_of_office(to_message_id=sent.message_id, sender="ada@prospect.test"),
    )
    assert inbox_sync(mailbox=mailbox) == {"auto_reply": 1}
    assert inbox_sync(mailbox=mailbox) == {}
    imap_server.append(
        inbox_user, mail_samples.reply(to_message_id=sent.message_id, sender="ada@prospect.test")
    )
    assert inbox_sync(mailbox=mailbox) == {"reply": 1}
    mailbox.refresh_from_db()
    assert mailbox.imap_last_uid == 2


def test_a_new_uidvalidity_rereads_without_acting_twice(sent, imap_server, inbox_user, mailbox):
    ooo = mail_samples.out_of_office(to_message_id=sent.message_id, sender="ada@prospect.test")
    imap_server.append(inbox_user, ooo)
    inbox_sync(mailbox=mailbox)
    old_validity = mailbox.imap_uidvalidity

    imap_server.reset_uidvalidity(inbox_user)
    imap_server.append(inbox_user, ooo)
    imap_server.append(
        inbox_user, mail_samples.reply(to_message_id=sent.message_id, sender="ada@prospect.test")
    )

    assert inbox_sync(mailbox=mailbox) == {"seen": 1, "reply": 1}
    assert mailbox.imap_uidvalidity != old_validity
    assert InboundMessage.objects.count() == 2


def test_mail_from_strangers_is_kept_but_changes_nothing(sent, imap_server, inbox_user, mailbox):
    imap_server.append(
        inbox_user,
        mail_samples.plain_from(sender="news@vendor.test", subject="Our webinar", body="Join!"),
    )
    assert inbox_sync(mailbox=mailbox) == {"other": 1}
    assert enrollment_of(sent).status == EnrollmentStatus.ACTIVE


def test_a_refused_imap_login_reports_the_servers_words(imap_server, inbox_user, mailbox):
    mailbox_update(mailbox=mailbox, data={"imap_password": "wrong"})
    with pytest.raises(InboxUnavailable, match="AUTHENTICATIONFAILED"):
        inbox_sync(mailbox=mailbox)
