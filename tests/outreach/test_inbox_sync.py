"""Inbox sync against a real IMAP server (dovecot): replies, bounces, auto-replies, unsubscribes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from crm.actors import Actor
from crm.models import Activity, ActivityKind, EmailStatus, Event, Task
from outreach import hooks
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
INBOX_ACTOR = Actor.system("test")


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


def test_a_meeting_request_moves_the_lead_to_warm_when_the_pipeline_rule_exists(
    sent, imap_server, inbox_user, mailbox
):
    # Was "a reply moves the lead to Warm": since reply categories only an interested reply or
    # a meeting request does ("Sounds good, call me Tuesday." is a meeting request).
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


def test_a_refused_imap_login_is_reported_without_the_servers_words(
    imap_server, inbox_user, mailbox
):
    mailbox_update(mailbox=mailbox, data={"imap_password": "wrong"})
    with pytest.raises(InboxUnavailable, match=r"^Authentication refused by the IMAP server\.$"):
        inbox_sync(mailbox=mailbox)


# Reply categories and the stage rules they drive (issue 14).


def _reply(imap_server, inbox_user, sent, body):  # type: ignore[no-untyped-def]
    imap_server.append(
        inbox_user,
        mail_samples.reply(to_message_id=sent.message_id, sender="ada@prospect.test", body=body),
    )


def _stage_kind(lead):  # type: ignore[no-untyped-def]
    from pipelines.models import PipelineEntry

    entry = PipelineEntry.objects.filter(lead=lead, pipeline__is_default=True).first()
    return entry.stage.kind if entry else None


@pytest.fixture
def owned(sent, owner):
    """Ada has an owner: the tasks the rules create are theirs."""
    sent.lead.owner = owner
    sent.lead.save()
    return sent


def test_an_interested_reply_is_stored_positive_and_its_category_is_an_event(
    owned, imap_server, inbox_user, mailbox
):
    _reply(imap_server, inbox_user, owned, "Sounds interesting, send me more details.")
    assert inbox_sync(mailbox=mailbox) == {"reply": 1}

    inbound = InboundMessage.objects.get()
    assert (inbound.category, inbound.category_by, inbound.positive) == (
        "interested",
        "rules",
        True,
    )
    assert _stage_kind(owned.lead) == "warm"
    replied = Event.objects.get(type="email.replied")
    assert replied.payload["reply"]["category"] == "interested"
    categorized = Event.objects.get(type="reply.categorized")
    assert categorized.subject_ids == [owned.lead_id]
    assert categorized.payload["reply"]["inbound_id"] == inbound.pk
    assert categorized.payload["reply"]["category"] == "interested"
    assert categorized.payload["reply"]["by"] == "rules"


@pytest.mark.parametrize(
    "body",
    ["Thanks, not for us this quarter.", "Nein danke, kein Interesse.", "Nej tack."],
)
def test_a_not_interested_reply_stops_the_sequence_but_never_moves_to_warm(
    owned, imap_server, inbox_user, mailbox, body
):
    _reply(imap_server, inbox_user, owned, body)
    assert inbox_sync(mailbox=mailbox) == {"reply": 1}

    inbound = InboundMessage.objects.get()
    assert (inbound.category, inbound.positive) == ("not_interested", False)
    assert enrollment_of(owned).status == EnrollmentStatus.REPLIED
    assert _stage_kind(owned.lead) in (None, "cold")  # recorded only: no Warm, no Lost
    assert Activity.objects.filter(lead=owned.lead, kind=ActivityKind.EMAIL_REPLIED).exists()


def test_an_interested_reply_leaves_a_lost_lead_lost_and_asks_its_owner(
    owned, owner, imap_server, inbox_user, mailbox
):
    from pipelines.models import PipelineEntry, Stage
    from pipelines.services.placement import entries_place_new_leads

    lead = owned.lead
    entries_place_new_leads(workspace=lead.workspace, lead_ids=[lead.pk], actor=INBOX_ACTOR)
    entry = PipelineEntry.objects.get(lead=lead, pipeline__is_default=True)
    lost = Stage.objects.get(pipeline_id=entry.pipeline_id, kind="lost")
    PipelineEntry.objects.filter(pk=entry.pk).update(stage=lost)

    _reply(imap_server, inbox_user, owned, "Let's talk — can you do Thursday at 10?")
    inbox_sync(mailbox=mailbox)

    assert _stage_kind(lead) == "lost"
    task = Task.objects.get(lead=lead, title__contains="while Lost")
    assert task.assignee == owner


def test_a_wrong_person_reply_stops_every_sequence_and_asks_to_find_the_right_one(
    owned, owner, sequence, imap_server, inbox_user, mailbox
):
    # Even a sequence that goes on after replies stops: it would keep writing to the wrong person.
    sequence.stop_on_reply = False
    sequence.save()
    _reply(
        imap_server,
        inbox_user,
        owned,
        "Je ne suis pas la bonne personne, contactez plutôt marc@prospect.test.",
    )
    assert inbox_sync(mailbox=mailbox) == {"reply": 1}

    assert InboundMessage.objects.get().category == "wrong_person"
    assert enrollment_of(owned).status == EnrollmentStatus.STOPPED
    task = Task.objects.get(lead=owned.lead, title__startswith="Find the right person")
    assert "marc@prospect.test" in task.title and task.assignee == owner
    assert not Task.objects.filter(lead=owned.lead, title__startswith="Answer").exists()
    assert _stage_kind(owned.lead) in (None, "cold")
    categorized = Event.objects.get(type="reply.categorized")
    assert categorized.payload["reply"]["referred_email"] == "marc@prospect.test"


def test_an_out_of_office_without_auto_reply_headers_lets_the_sequence_continue(
    owned, imap_server, inbox_user, mailbox
):
    _reply(imap_server, inbox_user, owned, "Estoy de vacaciones hasta el 12 de marzo.")
    assert inbox_sync(mailbox=mailbox) == {"auto_reply": 1}
    assert InboundMessage.objects.get().category == "out_of_office"
    assert enrollment_of(owned).status == EnrollmentStatus.ACTIVE
    assert _stage_kind(owned.lead) in (None, "cold")


def test_the_outlook_reply_is_read_without_its_signature_and_quote(
    owned, imap_server, inbox_user, mailbox
):
    imap_server.append(
        inbox_user,
        mail_samples.outlook_reply(
            to_message_id=owned.message_id,
            sender="ada@prospect.test",
            body="Merci, mais nous ne sommes pas intéressés.",
        ),
    )
    inbox_sync(mailbox=mailbox)
    inbound = InboundMessage.objects.get()
    assert inbound.outbound == owned  # matched by In-Reply-To
    assert inbound.category == "not_interested"
    assert _stage_kind(owned.lead) in (None, "cold")


def test_the_reply_rule_switched_off_moves_nothing(owned, imap_server, inbox_user, mailbox):
    from pipelines.services import pipeline_settings_update

    pipeline_settings_update(workspace=owned.lead.workspace, data={"reply_moves_to_warm": False})
    _reply(imap_server, inbox_user, owned, "Sounds interesting, send me more details.")
    inbox_sync(mailbox=mailbox)
    assert InboundMessage.objects.get().category == "interested"
    assert _stage_kind(owned.lead) in (None, "cold")


@pytest.fixture
def hook(monkeypatch):
    """Fill the AI's reply_category hook; returns the questions it was asked."""
    asked: list[tuple[str, str]] = []

    def fill(answer):  # type: ignore[no-untyped-def]
        def provider(subject, text):  # type: ignore[no-untyped-def]
            asked.append((subject, text))
            if isinstance(answer, Exception):
                raise answer
            return answer

        monkeypatch.setattr(hooks, "_reply_category", provider)
        return asked

    return fill


def test_an_unsure_reply_waits_for_a_person_without_a_hook(owned, imap_server, inbox_user, mailbox):
    _reply(imap_server, inbox_user, owned, "Thanks, I'll pass this on to the team.")
    assert inbox_sync(mailbox=mailbox) == {"reply": 1}
    inbound = InboundMessage.objects.get()
    assert (inbound.category, inbound.category_by) == ("unsure", "rules")
    assert _stage_kind(owned.lead) in (None, "cold")
    assert enrollment_of(owned).status == EnrollmentStatus.REPLIED
    assert Task.objects.filter(lead=owned.lead, title__startswith="Answer").exists()


def test_the_hook_decides_an_unsure_reply_and_its_answer_drives_the_rule(
    owned, hook, imap_server, inbox_user, mailbox
):
    asked = hook("meeting_request")
    _reply(imap_server, inbox_user, owned, "Thanks, I'll pass this on to the team.")
    inbox_sync(mailbox=mailbox)

    assert asked == [("Re: Quick question", "Thanks, I'll pass this on to the team.")]
    inbound = InboundMessage.objects.get()
    assert (inbound.category, inbound.category_by) == ("meeting_request", "ai")
    assert _stage_kind(owned.lead) == "warm"


def test_the_hook_is_not_asked_when_the_rules_are_sure(
    owned, hook, imap_server, inbox_user, mailbox
):
    asked = hook("interested")
    _reply(imap_server, inbox_user, owned, "Thanks, not for us this quarter.")
    inbox_sync(mailbox=mailbox)
    assert asked == []
    assert InboundMessage.objects.get().category == "not_interested"


@pytest.mark.parametrize(
    "answer", [None, "banana", "unsubscribe", "bounce", RuntimeError("AI down")]
)
def test_a_missing_invalid_or_failing_hook_answer_keeps_the_reply_unsure(
    owned, hook, imap_server, inbox_user, mailbox, answer
):
    asked = hook(answer)
    _reply(imap_server, inbox_user, owned, "Thanks, I'll pass this on to the team.")
    assert inbox_sync(mailbox=mailbox) == {"reply": 1}  # the reply is never lost
    assert len(asked) == 1
    inbound = InboundMessage.objects.get()
    assert (inbound.category, inbound.category_by) == ("unsure", "rules")
    assert not Suppression.objects.exists()
    assert _stage_kind(owned.lead) in (None, "cold")
