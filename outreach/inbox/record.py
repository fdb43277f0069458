"""Acting on one classified incoming email: stop, suppress, log, categorize, and apply the
stage rule its category drives.

The rules' category is final unless they were unsure: then the ``reply_category`` hook (the AI
app, when installed) is asked once; an answer that is missing, invalid or raises keeps
"unsure" for a person to decide. Stage rules per category (each once per Message-ID):

- interested, meeting request: the reply rule (Warm; a Lost lead stays Lost and its owner gets
  a task), switchable per workspace (``reply_moves_to_warm``);
- not interested, unsure: recorded only, no move (a "not interested moves to Lost" switch is
  not there yet);
- wrong person: every sequence of the lead stops; its owner gets "find the right person";
- out of office: nothing, the sequence continues; unsubscribe, bounce: suppression as before.
"""

from __future__ import annotations

import dataclasses
import email
import logging
from collections.abc import Callable
from email import policy

from django.db import IntegrityError, transaction

from crm.actors import Actor
from crm.errors import DomainError
from crm.models import ActivityKind, EmailStatus, Lead
from crm.services.activities import activity_record
from crm.services.leads import lead_update
from crm.services.tasks import task_create
from outreach import hooks
from outreach.events import email_event_record
from outreach.inbox.classify import (
    CONFIDENT,
    REFINABLE,
    UNSURE,
    Category,
    Classified,
    classify,
)
from outreach.models import (
    LIVE_STATUSES,
    CategorySource,
    Enrollment,
    EnrollmentStatus,
    InboundKind,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    ReplyCategory,
    SuppressionReason,
)
from outreach.services.suppression import suppression_add
from pipelines.services import rule_reply_received

log = logging.getLogger(__name__)
INBOX = Actor.system("inbox sync")


def inbound_record(
    *, mailbox: Mailbox, uidvalidity: int, uid: int, raw: bytes
) -> InboundMessage | None:
    """Classify one fetched email and act on it, once: a message seen again (same UID, or the
    same Message-ID after a UIDVALIDITY change) is ignored and None is returned."""
    parsed = email.message_from_bytes(raw, policy=policy.default)
    found = classify(parsed)
    if (
        found.message_id
        and InboundMessage.objects.filter(mailbox=mailbox, message_id=found.message_id).exists()
    ):
        return None
    outbound = _matched_outbound(mailbox, found)
    lead = outbound.lead if outbound else _lead_by_address(mailbox, found)
    kind = found.kind if lead is not None else InboundKind.OTHER
    category_by = CategorySource.RULES
    if kind == InboundKind.REPLY and found.category.category == UNSURE:
        # Asked outside the transaction: the hook may take its time (an AI call).
        refined = _second_opinion(found)
        if refined is not None:
            found = dataclasses.replace(found, category=refined)
            category_by = CategorySource.AI
    category = found.category
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                workspace_id=mailbox.workspace_id,
                mailbox=mailbox,
                uidvalidity=uidvalidity,
                uid=uid,
                kind=kind,
                message_id=found.message_id[:255],
                from_email=found.from_email[:254],
                subject=found.subject[:1000],
                text=found.text,
                bounce_status=found.bounce_status,
                outbound=outbound,
                lead=lead,
                category=category.category,
                category_confidence=category.confidence,
                category_by=category_by,
                # Sequence results count positives: a reply that is interested or a meeting.
                positive=kind == InboundKind.REPLY and category.category in POSITIVE,
            )
            if lead is not None:
                ACTIONS[kind](lead, outbound, found)
                _event(
                    "reply.categorized",
                    lead,
                    reply={
                        "inbound_id": inbound.pk,
                        "message_id": found.message_id,
                        "category": category.category,
                        "confidence": category.confidence,
                        "by": category_by,
                        "referred_email": category.referred_email,
                        "guess": category.guess,
                    },
                )
    except IntegrityError:
        return None  # this UID was recorded by a concurrent sync
    return inbound


POSITIVE = frozenset({ReplyCategory.INTERESTED, ReplyCategory.MEETING_REQUEST})


def _second_opinion(found: Classified) -> Category | None:
    """The hook's category for a reply the rules were unsure of; None keeps "unsure"."""
    try:
        answer = hooks.reply_category(found.subject, found.text)
    except Exception:  # a failing AI must not lose the reply: a person decides instead
        log.exception("The reply_category hook failed; the reply stays unsure")
        return None
    if answer not in REFINABLE:
        if answer is not None:
            log.warning("The reply_category hook answered %r, not a category; ignored", answer)
        return None
    return Category(str(answer), CONFIDENT, guess=found.category.guess)


def _matched_outbound(mailbox: Mailbox, found: Classified) -> OutboundMessage | None:
    if not found.references:
        return None
    candidates = OutboundMessage.objects.filter(
        workspace_id=mailbox.workspace_id, message_id__in=found.references
    ).select_related("lead", "enrollment__sequence")
    by_id = {m.message_id: m for m in candidates}
    return next((by_id[r] for r in found.references if r in by_id), None)


def _lead_by_address(mailbox: Mailbox, found: Classified) -> Lead | None:
    address = found.bounced_recipient if found.kind.endswith("bounce") else found.from_email
    if not address:
        return None
    return Lead.objects.filter(workspace_id=mailbox.workspace_id, email=address).first()


def _stop(
    lead: Lead, status: str, reason: str, *, only_if_stop_on_reply: bool = False
) -> list[int]:
    enrollments = Enrollment.objects.filter(lead=lead, status__in=LIVE_STATUSES)
    if only_if_stop_on_reply:
        enrollments = enrollments.filter(sequence__stop_on_reply=True)
    stopped = list(enrollments.values_list("sequence_id", flat=True))
    enrollments.update(status=status, stop_reason=reason, next_send_at=None)
    return stopped


def _on_reply(lead: Lead, outbound: OutboundMessage | None, found: Classified) -> None:
    sequences = _stop(lead, EnrollmentStatus.REPLIED, "Replied", only_if_stop_on_reply=True)
    if lead.company_id:
        # "Stop the whole company" sequences: a colleague's reply ends everyone's outreach.
        Enrollment.objects.filter(
            lead__company_id=lead.company_id,
            sequence_id__in=sequences,
            sequence__stop_company_on_reply=True,
            status__in=LIVE_STATUSES,
        ).update(
            status=EnrollmentStatus.STOPPED,
            stop_reason=f"{lead} replied for the company",
            next_send_at=None,
        )
    activity_record(
        lead=lead,
        kind=ActivityKind.EMAIL_REPLIED,
        actor=INBOX,
        body=found.text,
        payload={"subject": found.subject, "message_id": found.message_id},
    )
    category = found.category
    _event(
        "email.replied",
        lead,
        reply={
            "message_id": found.message_id,
            "subject": found.subject,
            "in_reply_to": outbound.message_id if outbound else None,
            "category": category.category,
        },
    )
    if category.category == ReplyCategory.WRONG_PERSON:
        _on_wrong_person(lead, category)
        return
    task_create(
        workspace=lead.workspace,
        actor=INBOX,
        lead=lead,
        data={"title": f"Answer {lead}'s reply", "kind": "follow_up", "assignee_id": lead.owner_id},
    )
    if category.category in POSITIVE:
        _reply_stage_rule(lead, found.message_id)
    # Not interested and unsure replies are recorded (the event, the timeline, the category on
    # the message) and move nothing: the "not interested → Lost" is a workspace switch
    # that does not exist yet, and an unsure reply waits for a person (or the AI hook).


def _on_wrong_person(lead: Lead, category: Category) -> None:
    """Writing to this lead again would reach the wrong person: every sequence stops (also those
    that go on after a reply) and the owner is asked to find the right one."""
    _stop(lead, EnrollmentStatus.STOPPED, "Wrong person: referred elsewhere")
    where = f" at {lead.company}" if lead.company_id else ""
    referred = f" ({lead} pointed to {category.referred_email})" if category.referred_email else ""
    task_create(
        workspace=lead.workspace,
        actor=INBOX,
        lead=lead,
        data={
            "title": f"Find the right person{where}{referred}"[:200],
            "kind": "follow_up",
            "assignee_id": lead.owner_id,
        },
    )


def _reply_stage_rule(lead: Lead, event_key: str) -> None:
    try:
        with transaction.atomic():
            rule_reply_received(lead=lead, actor=Actor.rule("reply received"), event_key=event_key)
    except (
        DomainError
    ) as exc:  # a rule refusing (switched off, no pipeline…) must not lose the reply
        log.warning("Reply stage rule skipped for lead %s: %s", lead.pk, exc)


def _on_auto_reply(lead: Lead, outbound: OutboundMessage | None, found: Classified) -> None:
    """Logged (the InboundMessage row); the sequence continues."""


def _on_hard_bounce(lead: Lead, outbound: OutboundMessage | None, found: Classified) -> None:
    address = found.bounced_recipient or lead.email or ""
    suppression_add(
        workspace=lead.workspace,
        value=address,
        reason=SuppressionReason.HARD_BOUNCE,
        note=found.bounce_status,
    )
    _stop(lead, EnrollmentStatus.BOUNCED, f"Hard bounce {found.bounce_status}")
    if lead.email == address:
        lead_update(lead=lead, actor=INBOX, data={"email_status": EmailStatus.INVALID})
    activity_record(
        lead=lead,
        kind=ActivityKind.BOUNCED,
        actor=INBOX,
        body=found.text[:1000],
        payload={"hard": True, "status": found.bounce_status, "address": address},
    )
    _event(
        "email.bounced",
        lead,
        bounce={"hard": True, "status": found.bounce_status, "address": address},
    )


def _on_soft_bounce(lead: Lead, outbound: OutboundMessage | None, found: Classified) -> None:
    activity_record(
        lead=lead,
        kind=ActivityKind.BOUNCED,
        actor=INBOX,
        body=found.text[:1000],
        payload={"hard": False, "status": found.bounce_status},
    )
    _event(
        "email.bounced",
        lead,
        bounce={"hard": False, "status": found.bounce_status, "address": lead.email},
    )


def _on_unsubscribe(lead: Lead, outbound: OutboundMessage | None, found: Classified) -> None:
    suppression_add(
        workspace=lead.workspace,
        value=found.from_email or lead.email or "",
        reason=SuppressionReason.UNSUBSCRIBED,
        note="Asked by reply",
    )
    _stop(lead, EnrollmentStatus.UNSUBSCRIBED, "Asked to be removed by reply")
    activity_record(
        lead=lead,
        kind=ActivityKind.UNSUBSCRIBED,
        actor=INBOX,
        body=found.text,
        payload={"by": "reply"},
    )
    _event(
        "email.unsubscribed",
        lead,
        unsubscribe={"by": "reply", "address": found.from_email or lead.email},
    )


def _event(type_: str, lead: Lead, **data: object) -> None:
    email_event_record(
        type=type_, lead=lead, workspace_id=lead.workspace_id, actor=INBOX, data=data
    )


ACTIONS: dict[str, Callable[[Lead, OutboundMessage | None, Classified], None]] = {
    InboundKind.REPLY: _on_reply,
    InboundKind.AUTO_REPLY: _on_auto_reply,
    InboundKind.HARD_BOUNCE: _on_hard_bounce,
    InboundKind.SOFT_BOUNCE: _on_soft_bounce,
    InboundKind.UNSUBSCRIBE: _on_unsubscribe,
}
