"""The planning tick: due enrollments → reserved quota → queued OutboundMessages.

Each enrollment is planned in its own transaction: checks, the quota reservation, the message
row and the enrollment update commit together or not at all, and the send task is enqueued only
after the commit. The database refuses a second live message for the same step
(``outbound_one_per_step``), so two overlapping ticks cannot plan a step twice.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from outreach.caps import local_day, quota_reserve
from outreach.models import (
    DomainState,
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    MailboxState,
    MessageStatus,
    OutboundMessage,
    SequenceStatus,
)
from outreach.rendering.compose import render_step, variant_for
from outreach.rendering.templates import MissingValue, TemplateError
from outreach.services.suppression import lead_block_reason
from outreach.windows import next_local_midnight, next_window_opening, window_contains, window_zone

# A message is planned only if its mailbox is free within this horizon: later sends wait in the
# enrollment (next_send_at), not in the broker, so no task ever sits for hours in a queue.
HORIZON = dt.timedelta(seconds=60)
RETRY_LATER = dt.timedelta(hours=1)
RECHECK_EVERY = 25

Enqueue = Callable[[int, float], None]
# Outcomes that defer every due enrollment of the mailbox at once.
MAILBOX_WIDE = {
    "mailbox_paused",
    "domain_paused",
    "warming_up",
    "mailbox_busy",
    "mailbox_cap",
    "domain_cap",
}


def due_enrollment_ids(*, now: dt.datetime, batch_size: int, after: tuple | None) -> list[tuple]:
    """One keyset batch of (next_send_at, id, mailbox_id) due now; served by ``enrollment_due``."""
    qs = Enrollment.objects.filter(
        status=EnrollmentStatus.ACTIVE, next_send_at__isnull=False, next_send_at__lte=now
    )
    if after is not None:
        table = Enrollment._meta.db_table
        qs = qs.filter(
            RawSQL(
                f'("{table}"."next_send_at", "{table}"."id") > (%s, %s)',
                (connection.ops.adapt_datetimefield_value(after[0]), after[1]),
                output_field=BooleanField(),
            )
        )
    rows = qs.order_by("next_send_at", "id").values_list("next_send_at", "id", "mailbox_id")
    return list(rows[:batch_size])


def plan_due_sends(
    *, now: dt.datetime | None = None, batch_size: int = 500, enqueue: Enqueue | None = None
) -> Counter:
    """Plan every enrollment due at ``now``; returns how many enrollments had each outcome.

    When a mailbox or a domain cannot send now (cap reached, gap, paused, warming up), all its
    due enrollments are deferred with one UPDATE and the rest of the tick skips that mailbox:
    a tick costs what it plans, not what is due.
    """
    now = now or timezone.now()
    outcomes: Counter = Counter()
    held: set[int] = set()  # mailboxes deferred as a whole during this tick
    after = None
    while batch := due_enrollment_ids(now=now, batch_size=batch_size, after=after):
        for start in range(0, len(batch), RECHECK_EVERY):
            chunk = [row for row in batch[start : start + RECHECK_EVERY] if row[2] not in held]
            # One unlocked look per chunk: rows another planner took or deferred meanwhile are
            # skipped without taking a write lock.
            still_due = set(
                Enrollment.objects.filter(
                    pk__in=[row[1] for row in chunk],
                    status=EnrollmentStatus.ACTIVE,
                    next_send_at__lte=now,
                ).values_list("pk", flat=True)
            )
            for _, enrollment_id, mailbox_id in chunk:
                if mailbox_id in held or enrollment_id not in still_due:
                    continue
                outcome, count = _plan_one(enrollment_id, now, enqueue or _enqueue_send)
                if count:
                    outcomes[outcome] += count
                if outcome in MAILBOX_WIDE:
                    held.add(mailbox_id)
        after = batch[-1][:2]
    return outcomes


def enrollment_plan_next(
    *, enrollment_id: int, now: dt.datetime, enqueue: Enqueue | None = None
) -> str:
    """Plan the next step of one enrollment if it may go now; else push ``next_send_at`` to when
    it may. Returns what happened ("planned", "outside_window", "mailbox_cap" …)."""
    return _plan_one(enrollment_id, now, enqueue or _enqueue_send)[0]


def _plan_one(enrollment_id: int, now: dt.datetime, enqueue: Enqueue) -> tuple[str, int]:
    try:
        with transaction.atomic():
            return _plan(enrollment_id, now, enqueue)
    except IntegrityError:
        return "duplicate", 0  # a concurrent tick planned this step first; all rolled back
    except OperationalError:
        # A lock timeout or a deadlock victim: nothing was written, the next tick retries.
        return "contended", 0


def _plan(enrollment_id: int, now: dt.datetime, enqueue: Enqueue) -> tuple[str, int]:
    mailbox_id = (
        Enrollment.objects.filter(pk=enrollment_id).values_list("mailbox_id", flat=True).first()
    )
    if mailbox_id is None:
        return "gone", 0
    # Lock order: mailbox, then enrollment — the bulk deferrals below touch other enrollments
    # of the mailbox, which a planner holding only an enrollment lock would otherwise deadlock.
    mailbox = (
        Mailbox.objects.select_for_update(of=("self",)).select_related("domain").get(pk=mailbox_id)
    )
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("lead__company", "sequence")
        .filter(pk=enrollment_id, status=EnrollmentStatus.ACTIVE, next_send_at__lte=now)
        .first()
    )
    if enrollment is None:
        return "gone", 0
    enrollment.mailbox = mailbox
    sequence, lead, domain = enrollment.sequence, enrollment.lead, mailbox.domain
    if sequence.status != SequenceStatus.ACTIVE:
        return _defer(enrollment, now + RETRY_LATER, "sequence_inactive")
    steps = list(sequence.steps.prefetch_related("variants"))
    if enrollment.step_position >= len(steps):
        return _end(enrollment, EnrollmentStatus.FINISHED, "")
    reason = lead_block_reason(lead)
    if reason is not None:
        return _end(enrollment, EnrollmentStatus.STOPPED, reason)

    if mailbox.state == MailboxState.PAUSED:
        return _defer_mailbox(mailbox, now, now + RETRY_LATER, "mailbox_paused")
    domain_today = local_day(now, domain.timezone)
    domain_state = domain.state_on(domain_today)
    if domain_state == DomainState.PAUSED:
        return _defer_mailbox(mailbox, now, now + RETRY_LATER, "domain_paused")
    if domain_state == DomainState.WARMING:
        warm = dt.datetime.combine(domain.warm_on, dt.time(0), tzinfo=ZoneInfo(domain.timezone))
        return _defer_mailbox(mailbox, now, warm.astimezone(dt.UTC), "warming_up")
    zone = window_zone(mailbox, lead.timezone if sequence.use_lead_timezone else "")
    if not window_contains(mailbox, now, zone):
        return _defer(enrollment, next_window_opening(mailbox, now, zone), "outside_window")
    send_after = max(now, mailbox.next_free_at or now)
    if send_after > now + HORIZON:
        return _defer_mailbox(mailbox, now, send_after, "mailbox_busy")

    step = steps[enrollment.step_position]
    variant = variant_for(step, enrollment)
    previous = _previous_message(enrollment) if step.same_thread else None
    try:
        email = render_step(enrollment=enrollment, step=step, variant=variant, previous=previous)
    except (MissingValue, TemplateError) as exc:
        return _end(enrollment, EnrollmentStatus.FAILED, f"Step {step.position + 1}: {exc}")

    mailbox_day = local_day(now, mailbox.timezone)
    full = quota_reserve(
        mailbox=mailbox, domain=domain, mailbox_day=mailbox_day, domain_day=domain_today
    )
    if full == "mailbox":
        # Deferred to the mailbox's next day; that day's tick applies each window again.
        return _defer_mailbox(
            mailbox, now, next_local_midnight(now, mailbox.timezone), "mailbox_cap"
        )
    if full == "domain":
        return _defer_mailbox(mailbox, now, next_local_midnight(now, domain.timezone), "domain_cap")

    gap = random.uniform(mailbox.gap_min_seconds, mailbox.gap_max_seconds)
    mailbox.next_free_at = send_after + dt.timedelta(seconds=gap)
    mailbox.save(update_fields=["next_free_at"])
    references = ""
    if previous is not None:
        references = " ".join(filter(None, [previous.references, previous.message_id]))
    message = OutboundMessage.objects.create(
        workspace_id=enrollment.workspace_id,
        enrollment=enrollment,
        lead=lead,
        mailbox=mailbox,
        step=step,
        variant=variant,
        step_position=step.position,
        message_id=f"<{uuid.uuid4().hex}@{domain.domain}>",
        in_reply_to=previous.message_id if previous else "",
        references=references,
        from_header=mailbox.from_header,
        to_email=lead.email or "",
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        unsubscribe_token=email.unsubscribe_token,
        quota_mailbox_day=mailbox_day,
        quota_domain_day=domain_today,
        send_after=send_after,
    )
    # In flight: the planner must not see it again until the sender advances it.
    Enrollment.objects.filter(pk=enrollment.pk).update(next_send_at=None, updated_at=now)
    delay = (send_after - now).total_seconds()
    transaction.on_commit(lambda: enqueue(message.pk, delay))
    return "planned", 1


def _previous_message(enrollment: Enrollment) -> OutboundMessage | None:
    return (
        enrollment.messages.filter(
            # A message lost mid-send may well have arrived: threading onto it is right.
            status__in=[MessageStatus.SENT, MessageStatus.UNKNOWN],
            step_position__lt=enrollment.step_position,
        )
        .order_by("-step_position")
        .first()
    )


def _defer(enrollment: Enrollment, when: dt.datetime | None, outcome: str) -> tuple[str, int]:
    if when is None:  # a window with no open hour: nothing can ever go
        return _end(enrollment, EnrollmentStatus.FAILED, "The mailbox's send window is empty.")
    Enrollment.objects.filter(pk=enrollment.pk).update(next_send_at=when)
    return outcome, 1


def _defer_mailbox(
    mailbox: Mailbox, now: dt.datetime, when: dt.datetime, outcome: str
) -> tuple[str, int]:
    """Everything of this mailbox that is due waits until ``when``, in one UPDATE."""
    count = Enrollment.objects.filter(
        mailbox=mailbox,
        status=EnrollmentStatus.ACTIVE,
        next_send_at__isnull=False,
        next_send_at__lte=now,
    ).update(next_send_at=when)
    return outcome, count


def _end(enrollment: Enrollment, status: str, reason: str) -> tuple[str, int]:
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=status, stop_reason=reason[:500], next_send_at=None
    )
    return (status if status != EnrollmentStatus.STOPPED else "blocked"), 1


def _enqueue_send(message_id: int, delay: float) -> None:
    from outreach.tasks import send_message_task

    send_message_task.apply_async((message_id,), countdown=max(0.0, delay), queue="send")
