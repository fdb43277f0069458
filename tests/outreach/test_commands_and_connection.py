"""The CLI (send_due, run_scheduler_tick, sync_inboxes) and the mailbox "test connection"."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from outreach.models import MessageStatus, OutboundMessage
from outreach.services.connection_test import mailbox_test_connection
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from tests.factories import LeadFactory
from tests.outreach import mail_samples

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)  # real commits: sends are enqueued after commit
def test_send_due_plans_and_sends_in_one_go(workspace, sequence, actor, smtp_server):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk for lead in leads], actor=actor)
    out = StringIO()
    with time_machine.travel(MONDAY_10, tick=False):
        call_command("send_due", stdout=out)

    assert len(smtp_server.received) == 3
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == 3
    assert "planned {'planned': 3}" in out.getvalue()


def test_run_scheduler_tick_reports_nothing_due(db):
    out = StringIO()
    call_command("run_scheduler_tick", stdout=out)
    assert out.getvalue().strip() == "Nothing due."


def test_sync_inboxes_reads_every_mailbox(
    workspace, sequence, actor, smtp_server, imap_server, inbox_user
):
    lead = LeadFactory(workspace=workspace, email="ada@prospect.test")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    imap_server.append(
        inbox_user,
        mail_samples.plain_from(sender="ada@prospect.test", subject="Re: hi", body="Yes!"),
    )
    out = StringIO()
    call_command("sync_inboxes", stdout=out)
    assert out.getvalue().strip() == "sender@mail.acme.test: reply: 1"


def test_the_connection_test_logs_in_to_both_servers(mailbox, smtp_server, imap_server, inbox_user):
    report = mailbox_test_connection(mailbox=mailbox)
    assert (report.smtp_ok, report.imap_ok) == (True, True)


def test_the_connection_test_tells_a_refused_login_in_its_own_words(
    mailbox, smtp_server, imap_server, inbox_user
):
    mailbox_update(mailbox=mailbox, data={"smtp_password": "nope", "imap_password": "nope"})
    report = mailbox_test_connection(mailbox=mailbox)
    assert not report.smtp_ok
    assert report.smtp_message == "Authentication refused by the SMTP server (535)."
    assert not report.imap_ok
    assert report.imap_message == "Authentication refused by the IMAP server."
