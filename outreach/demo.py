"""The demo workspace's outreach: a warm sending domain, two capture mailboxes (nothing ever
leaves the machine), a three-step sequence with variables, slots and an A/B test, about forty
enrolled leads, and the first emails already "sent" into the captured-mail viewer with a few
replies coming back.

Built through the real services, planner, sender and inbox classifier, so the demo shows what
the engine does rather than rows pushed into place.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from crm.actors import Actor
from crm.models import ActivityKind, Lead, Workspace
from outreach.inbox.record import inbound_record
from outreach.models import InboundKind, Mailbox, MessageStatus, OutboundMessage, Sequence
from outreach.sending.planner import enrollment_plan_next
from outreach.sending.sender import send_message
from outreach.services.domains import sending_domain_create
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_create, mailbox_update
from outreach.services.replies import reply_mark_positive
from outreach.services.sequences import sequence_activate, sequence_create
from outreach.services.steps import step_add, variant_add

DEMO_DOMAIN = "try-kindling.example"
SENT_AT_LOAD = 6  # first emails captured while loading, so the viewer has content at once
ENROLLED = 40

OPENER_A = """{Hi|Hello} {{first_name|there}},

{{slot2|I came across your team while looking at fast-growing companies in your space.}}

We help founders run cold email from ten or more warmed-up domains without burning them: a cap \
per domain, a reply stops the sequence, and every lead gets a line written for them.

Worth a 15-minute look next week?
{{slot3|}}"""

OPENER_B = """{{first_name|Hi}} — short one.

{{slot2|Your team came up while I was looking at companies hiring SDRs.}} Most teams your size \
lose a domain or two a year to blocklists. Kindling spreads sending over warmed-up domains and \
stops the moment someone answers.

Open to a quick call?
{{slot3|}}"""

BUMP = """{{first_name|Hi}}, bumping this in case it got buried.

Happy to send a 2-minute video instead of a call if that is easier."""

BREAKUP = """Hi {{first_name|there}},

I have not heard back, so I will assume outbound is not a priority at {{company|your company}} \
right now. Is there someone else on the team I should talk to?

Thanks either way."""

REPLIES = (
    ("Sounds interesting. Can you do Thursday at 10?", True),
    ("Thanks, not for us this quarter. Maybe next year.", False),
)


def _slots(lead: Lead) -> dict[str, str]:
    company = lead.company.name if lead.company else "your team"
    return {
        "slot1": f"{company} + outbound",
        "slot2": f"Saw that {company} is growing its sales team in {lead.city or 'Europe'}.",
        "slot3": f"PS: {lead.first_name or 'you'}, glad to share what worked for teams like yours.",
    }


def _candidates(leads: list[Lead], count: int) -> list[Lead]:
    """Leads still cold: no engagement, reply or stage change logged yet, and an email."""
    busy = set(
        Lead.objects.filter(
            pk__in=[x.pk for x in leads],
            activities__kind__in=[
                ActivityKind.LIKED,
                ActivityKind.COMMENTED,
                ActivityKind.CONNECTED,
                ActivityKind.EMAIL_REPLIED,
                ActivityKind.CALL,
                ActivityKind.MEETING,
                ActivityKind.STAGE_CHANGED,
            ],
        ).values_list("pk", flat=True)
    )
    fresh = [x for x in leads if x.pk not in busy and x.email and not x.do_not_contact]
    return fresh[:count]


def _mailboxes(workspace: Workspace, today: dt.date) -> list[Mailbox]:
    domain = sending_domain_create(
        workspace=workspace,
        domain=DEMO_DOMAIN,
        timezone_name="Europe/Paris",
        added_on=today - dt.timedelta(days=30),  # warm-up (14 days) long over
    )
    people = (("dana", "Dana Demo"), ("sam", "Sam Rivera"))
    return [
        mailbox_create(
            workspace=workspace,
            domain=domain,
            address=f"{user}@{DEMO_DOMAIN}",
            data={
                "display_name": name,
                "signature": f"{name}\nKindling · try-kindling.example",
                "transport": "capture",
                "ramp_starts_on": today - dt.timedelta(days=16),
                # Open and without a gap while the first emails are captured below.
                "window_weekdays": [0, 1, 2, 3, 4, 5, 6],
                "window_start": dt.time(0, 0),
                "window_end": dt.time(23, 59, 59),
                "timezone": "Europe/Paris",
                "gap_min_seconds": 0,
                "gap_max_seconds": 0,
            },
        )
        for user, name in people
    ]


def _sequence(workspace: Workspace, mailboxes: list[Mailbox]) -> Sequence:
    sequence = sequence_create(
        workspace=workspace,
        name="Founder-led outbound · Q4",
        mailboxes=mailboxes,
        options={"stop_on_reply": True, "stop_company_on_reply": True, "unsubscribe_line": True},
    )
    first = step_add(
        sequence=sequence, subject="{{slot1|Quick idea}} for {{company|your team}}", body=OPENER_A
    )
    variant_add(step=first, label="B", subject="{{company|Your team}} + Kindling", body=OPENER_B)
    step_add(
        sequence=sequence,
        subject="",
        body=BUMP,
        delay_days=3,
        business_days=True,
        same_thread=True,
    )
    step_add(
        sequence=sequence,
        subject="Closing the loop, {{first_name|there}}",
        body=BREAKUP,
        delay_days=5,
    )
    return sequence


def _answer(message: OutboundMessage, *, text: str, auto: bool = False) -> bytes:
    reply = EmailMessage()
    reply["From"] = message.to_email
    reply["To"] = message.mailbox.address
    reply["Subject"] = ("Out of office: " if auto else "Re: ") + message.subject
    reply["Message-ID"] = make_msgid(domain=message.to_email.rsplit("@", 1)[-1])
    reply["Date"] = format_datetime(timezone.now())
    reply["In-Reply-To"] = message.message_id
    reply["References"] = message.message_id
    if auto:
        reply["Auto-Submitted"] = "auto-replied"
    reply.set_content(f"{text}\n\n> {message.body_text.splitlines()[0]}\n")
    return bytes(reply)


def outreach_demo_load(*, workspace: Workspace, leads: list[Lead], actor: Actor) -> Sequence:
    """Outreach for the demo workspace (call inside demo_load's transaction)."""
    today = timezone.localdate()
    mailboxes = _mailboxes(workspace, today)
    sequence = _sequence(workspace, mailboxes)
    people = _candidates(leads, ENROLLED)
    first, rest = people[:SENT_AT_LOAD], people[SENT_AT_LOAD:]
    # Every other lead came with typed slots; the others show the fallbacks at work.
    slots = {lead.pk: _slots(lead) for lead in people[::2]}
    report = enrollments_add(
        sequence=sequence, lead_ids=[x.pk for x in first], actor=actor, slots=slots
    )
    sequence_activate(sequence=sequence)
    now = timezone.now()
    for enrollment_id in report.added:
        # No broker here: the planner's hand-off is skipped and the capture "send" runs inline.
        enrollment_plan_next(enrollment_id=enrollment_id, now=now, enqueue=lambda pk, delay: None)
    queued = OutboundMessage.objects.filter(
        enrollment_id__in=report.added, status=MessageStatus.QUEUED
    )
    for message_id in list(queued.values_list("pk", flat=True)):
        send_message(message_id=message_id)
    sent = list(
        OutboundMessage.objects.filter(enrollment_id__in=report.added, status=MessageStatus.SENT)
        .select_related("mailbox")
        .order_by("id")
    )
    uid = 0
    for message, (text, positive) in zip(sent, REPLIES, strict=False):
        uid += 1
        inbound = inbound_record(
            mailbox=message.mailbox, uidvalidity=1, uid=uid, raw=_answer(message, text=text)
        )
        if inbound is not None and inbound.kind == InboundKind.REPLY and positive:
            reply_mark_positive(inbound=inbound, positive=True)
    if len(sent) > len(REPLIES):
        uid += 1
        away = "I am out of the office until Monday with limited access to email."
        inbound_record(
            mailbox=sent[len(REPLIES)].mailbox,
            uidvalidity=1,
            uid=uid,
            raw=_answer(sent[len(REPLIES)], text=away, auto=True),
        )
    for mailbox in mailboxes:
        # From now on, a founder's real settings: weekdays, office hours, 5–10 minutes apart.
        mailbox_update(
            mailbox=mailbox,
            data={
                "window_weekdays": [0, 1, 2, 3, 4],
                "window_start": dt.time(8, 0),
                "window_end": dt.time(18, 0),
                "gap_min_seconds": 300,
                "gap_max_seconds": 600,
            },
        )
    enrollments_add(sequence=sequence, lead_ids=[x.pk for x in rest], actor=actor, slots=slots)
    return sequence
