"""``send_message``: claim, send once, record. At most once per step, whatever crashes.

The claim is a compare-and-set committed before any SMTP traffic (``queued → sending``); only
the worker whose UPDATE changed the row may send. A worker that dies after the claim leaves
``sending``: the sweeper turns it into ``unknown``, and nothing ever resends an unknown message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.actors import Actor
from crm.models import ActivityKind
from crm.services.activities import activity_record
from outreach.caps import quota_release
from outreach.events import email_event_record
from outreach.models import (
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    MailboxState,
    MessageStatus,
    OutboundMessage,
    SequenceStatus,
    Step,
)
from outreach.sending.mime import build_email
from outreach.sending.one_click import one_click_refusal
from outreach.sending.transport import DeliveryError, deliver
from outreach.services.mailboxes import mailbox_pause
from outreach.services.suppression import lead_block_reason
from outreach.windows import add_days, window_zone

MAX_ATTEMPTS = 5
FAILURES_BEFORE_PAUSE = 5
STALE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class SendResult:
    outcome: str  # sent, not_claimed, cancelled, retry, failed, unknown
    retry_in: float | None = None
    detail: str = ""


def _set_status(message: OutboundMessage, frm: str, to: str, **changes) -> bool:  # type: ignore[no-untyped-def]
    return (
        OutboundMessage.objects.filter(pk=message.pk, status=frm).update(status=to, **changes) == 1
    )


def send_message(*, message_id: int) -> SendResult:
    """Send one queued message through its mailbox and advance its enrollment."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return SendResult("not_claimed")
    message = OutboundMessage.objects.select_related(
        "lead", "mailbox__domain", "enrollment__sequence"
    ).get(pk=message_id)
    hold = _hold_reason(message)
    if hold:
        # A blocked lead ends the enrollment; any other hold (paused mailbox, domain, sequence
        # or enrollment) gives the step back to the planner for when sending resumes.
        _cancel(message, hold, replan=not hold.startswith("lead:"))
        return SendResult("cancelled", detail=hold)
    try:
        raw = deliver(message.mailbox, build_email(message))
    except DeliveryError as exc:
        return _on_error(message, exc)
    _mark_sent(message, raw)
    return SendResult("sent")


def _hold_reason(message: OutboundMessage) -> str:
    """Checked again right before sending: things change between planning and sending."""
    mailbox, enrollment = message.mailbox, message.enrollment
    blocked = lead_block_reason(message.lead)
    if blocked:
        return f"lead: {blocked}"
    if enrollment.status != EnrollmentStatus.ACTIVE:
        return f"enrollment {enrollment.status}"
    if enrollment.sequence.status != SequenceStatus.ACTIVE:
        return f"sequence {enrollment.sequence.status}"
    if mailbox.state == MailboxState.PAUSED:
        return f"mailbox paused: {mailbox.paused_reason}"
    refusal = one_click_refusal(mailbox)
    if refusal:
        return f"mailbox may not send: {refusal}"
    if mailbox.domain.state == "paused":
        return f"domain paused: {mailbox.domain.paused_reason}"
    return ""


@transaction.atomic
def _cancel(message: OutboundMessage, reason: str, *, replan: bool) -> None:
    if not _set_status(
        message, MessageStatus.SENDING, MessageStatus.CANCELLED, error=reason[:2000]
    ):
        return
    quota_release(
        mailbox_id=message.mailbox_id,
        domain_id=message.mailbox.domain_id,
        mailbox_day=message.quota_mailbox_day,
        domain_day=message.quota_domain_day,
    )
    if replan:  # nothing left: the planner takes the step again once the mailbox sends again
        Enrollment.objects.filter(
            pk=message.enrollment_id, status=EnrollmentStatus.ACTIVE, next_send_at__isnull=True
        ).update(next_send_at=timezone.now())
    elif message.enrollment.status == EnrollmentStatus.ACTIVE:
        # Blocked lead: this enrollment can never send again.
        Enrollment.objects.filter(pk=message.enrollment_id, status=EnrollmentStatus.ACTIVE).update(
            status=EnrollmentStatus.STOPPED, stop_reason=reason[:500], next_send_at=None
        )


def _on_error(message: OutboundMessage, exc: DeliveryError) -> SendResult:
    mailbox = message.mailbox
    if exc.kind == "ambiguous":
        _set_status(message, MessageStatus.SENDING, MessageStatus.UNKNOWN, error=exc.message)
        _hold_enrollment(message, f"Delivery of step {message.step_position + 1} is unknown.")
        _count_failure(mailbox, exc)
        return SendResult("unknown", detail=exc.message)
    if exc.kind in ("auth", "unsafe"):
        reason = f"SMTP login refused: {exc.message}" if exc.kind == "auth" else exc.message
        mailbox_pause(mailbox=mailbox, reason=reason)
        _cancel(message, exc.message, replan=True)
        return SendResult("cancelled", detail=exc.message)
    if exc.kind == "transient" and message.attempts < MAX_ATTEMPTS:
        backoff = 60 * 2 ** (message.attempts - 1)  # 1, 2, 4, 8 minutes
        _set_status(
            message,
            MessageStatus.SENDING,
            MessageStatus.QUEUED,
            error=exc.message,
            send_after=timezone.now() + dt.timedelta(seconds=backoff),
        )
        _count_failure(mailbox, exc)
        return SendResult("retry", retry_in=backoff, detail=exc.message)
    with transaction.atomic():
        _set_status(message, MessageStatus.SENDING, MessageStatus.FAILED, error=exc.message)
        Enrollment.objects.filter(pk=message.enrollment_id, status=EnrollmentStatus.ACTIVE).update(
            status=EnrollmentStatus.FAILED,
            stop_reason=f"Step {message.step_position + 1}: {exc.message}"[:500],
        )
    _count_failure(mailbox, exc)
    return SendResult("failed", detail=exc.message)


def _count_failure(mailbox: Mailbox, exc: DeliveryError) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    mailbox.refresh_from_db(fields=["consecutive_failures"])
    if mailbox.consecutive_failures >= FAILURES_BEFORE_PAUSE:
        mailbox_pause(
            mailbox=mailbox,
            reason=f"{mailbox.consecutive_failures} failed sends in a row; last: {exc.message}",
        )


def _hold_enrollment(message: OutboundMessage, reason: str) -> None:
    # A person decides whether to continue: resending could be a duplicate, skipping a gap.
    Enrollment.objects.filter(pk=message.enrollment_id, status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.PAUSED, stop_reason=reason, next_send_at=None
    )


@transaction.atomic
def _mark_sent(message: OutboundMessage, raw: bytes) -> None:
    now = timezone.now()
    _set_status(
        message,
        MessageStatus.SENDING,
        MessageStatus.SENT,
        sent_at=now,
        raw_mime=raw.decode("utf-8", errors="replace"),
        error="",
    )
    # Written only when there is something to reset: a write on every send would queue all the
    # mailbox's workers (and its planner) on its row lock. A failure counted while this message
    # was on the wire may survive this success; the pause rule is a heuristic, not a cap.
    if message.mailbox.consecutive_failures:
        Mailbox.objects.filter(pk=message.mailbox_id).update(consecutive_failures=0)
    enrollment = message.enrollment  # read with its sequence when the message was claimed
    activity_record(
        lead=message.lead,
        kind=ActivityKind.EMAIL_SENT,
        actor=Actor.system("sequence"),
        body=message.subject,
        payload={
            "sequence_id": enrollment.sequence_id,
            "step": message.step_position + 1,
            "variant_id": message.variant_id,
            "message_id": message.message_id,
        },
    )
    email_event_record(
        type="email.sent",
        lead=message.lead_id,
        workspace_id=message.workspace_id,
        actor=Actor.system("sequence"),
        data={
            "email": {
                "message_id": message.message_id,
                "subject": message.subject,
                "sequence_id": enrollment.sequence_id,
                "enrollment_id": enrollment.pk,
                "step": message.step_position + 1,
                "mailbox": message.mailbox.address,
            }
        },
    )
    steps = list(
        Step.objects.filter(sequence_id=enrollment.sequence_id)
        .order_by("position")
        .values_list("delay_days", "business_days")
    )
    following = message.step_position + 1
    # Conditional UPDATEs, re-checked under the row lock: an enrollment moved on by hand
    # meanwhile (another step_position) is left alone, a paused one is not finished.
    still_there = Enrollment.objects.filter(pk=enrollment.pk, step_position=message.step_position)
    advance = {"step_position": following, "updated_at": now}
    if following >= len(steps):
        finished = still_there.filter(status=EnrollmentStatus.ACTIVE).update(
            **advance, status=EnrollmentStatus.FINISHED, next_send_at=None
        )
        if not finished:
            still_there.update(**advance)
        else:
            email_event_record(
                type="enrollment.finished",
                lead=message.lead_id,
                workspace_id=message.workspace_id,
                actor=Actor.system("sequence"),
                data={
                    "enrollment": {
                        "id": enrollment.pk,
                        "sequence_id": enrollment.sequence_id,
                        "status": EnrollmentStatus.FINISHED,
                    }
                },
            )
        return
    delay_days, business_days = steps[following]
    zone = window_zone(
        message.mailbox, message.lead.timezone if enrollment.sequence.use_lead_timezone else ""
    )
    still_there.update(
        **advance, next_send_at=add_days(now, delay_days, business=business_days, zone=zone)
    )


@dataclass(frozen=True)
class Swept:
    unknown: int  # claimed long ago, never finished: now unknown, never resent
    requeue_ids: list[int]  # queued long ago: their task was lost, enqueue them again


def sweep_stale_sends(*, now: dt.datetime | None = None) -> Swept:
    """Claimed long ago and never finished → ``unknown`` (never resent); queued messages whose
    task was lost → returned for re-enqueueing (the claim makes a second task harmless)."""
    now = now or timezone.now()
    stale = list(
        OutboundMessage.objects.filter(
            status=MessageStatus.SENDING, claimed_at__lt=now - STALE_AFTER
        ).values_list("pk", flat=True)
    )
    lost = 0
    for pk in stale:
        message = OutboundMessage.objects.get(pk=pk)
        if _set_status(
            message, MessageStatus.SENDING, MessageStatus.UNKNOWN, error="Worker lost mid-send."
        ):
            _hold_enrollment(message, f"Delivery of step {message.step_position + 1} is unknown.")
            lost += 1
    requeue = list(
        OutboundMessage.objects.filter(
            status=MessageStatus.QUEUED, send_after__lt=now - STALE_AFTER
        ).values_list("pk", flat=True)[:1000]
    )
    return Swept(unknown=lost, requeue_ids=requeue)
