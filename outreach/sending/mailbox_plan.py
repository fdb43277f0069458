"""Plan one mailbox's share of a batch in one transaction (the design is in ``planner``).

The group's checks, its quota reservation, its messages and its enrollment updates commit
together or not at all; its sends are enqueued only after the commit.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from zoneinfo import ZoneInfo

from django.db import IntegrityError, OperationalError, transaction

from outreach.caps import local_day, quota_reserve_many
from outreach.models import (
    DomainState,
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    MailboxState,
    MessageStatus,
    OutboundMessage,
    QuotaScope,
    SendingDomain,
    SequenceStatus,
    Step,
)
from outreach.rendering.compose import RenderedEmail, message_fields, render_step, variant_for
from outreach.rendering.templates import MissingValue, TemplateError
from outreach.sending.one_click import one_click_refusal
from outreach.windows import next_local_midnight, next_window_opening, window_contains, window_zone

# A message is planned only if its mailbox is free within this horizon: later sends wait in the
# enrollment (next_send_at), not in the broker, so no task ever sits for hours in a queue.
HORIZON = dt.timedelta(seconds=60)
RETRY_LATER = dt.timedelta(hours=1)

Enqueue = Callable[[int, float], None]


@dataclass
class GroupContext:
    """What the planner read once for the whole batch, shared by its mailbox groups."""

    now: dt.datetime
    enqueue: Enqueue
    steps: dict[int, list[Step]]  # sequence id → its steps, variants prefetched
    blocked: dict[int, str]  # lead id → why it may not be emailed
    history: dict[int, list[OutboundMessage]]  # enrollment id → its live messages


@dataclass
class GroupResult:
    outcomes: Counter = field(default_factory=Counter)
    held: bool = False  # the whole mailbox was deferred: the tick skips it from now on


@dataclass
class _Writes:
    """Per-enrollment outcomes, written with one UPDATE per distinct value, not per row."""

    outcomes: Counter = field(default_factory=Counter)
    deferred: dict[dt.datetime, list[int]] = field(default_factory=lambda: defaultdict(list))
    ended: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))

    def defer(self, enrollment: Enrollment, when: dt.datetime | None, outcome: str) -> None:
        if when is None:  # a window with no open hour: nothing can ever go
            self.end(enrollment, EnrollmentStatus.FAILED, "The mailbox's send window is empty.")
            return
        self.deferred[when].append(enrollment.pk)
        self.outcomes[outcome] += 1

    def end(self, enrollment: Enrollment, status: str, reason: str) -> None:
        self.ended[(status, reason[:500])].append(enrollment.pk)
        self.outcomes[status if status != EnrollmentStatus.STOPPED else "blocked"] += 1

    def flush(self) -> None:
        for when, ids in self.deferred.items():
            Enrollment.objects.filter(pk__in=ids).update(next_send_at=when)
        for (status, reason), ids in self.ended.items():
            Enrollment.objects.filter(pk__in=ids).update(
                status=status, stop_reason=reason, next_send_at=None
            )
        self.deferred.clear()
        self.ended.clear()


@dataclass(frozen=True)
class _Draft:
    enrollment: Enrollment
    step: Step
    previous: OutboundMessage | None
    email: RenderedEmail
    variant_id: int


def plan_mailbox_group(
    *, mailbox_id: int, enrollments: list[Enrollment], context: GroupContext
) -> GroupResult:
    """Plan these due enrollments of one mailbox (loaded by the planner, not locked yet)."""
    try:
        with transaction.atomic():
            result, planned = _plan_group(mailbox_id, enrollments, context)
            for message in planned:
                delay = (message.send_after - context.now).total_seconds()
                transaction.on_commit(partial(context.enqueue, message.pk, delay))
    except IntegrityError:
        return GroupResult()  # a concurrent tick planned one of these steps first; rolled back
    except OperationalError:
        # A lock timeout or a deadlock victim: nothing was written, the next tick retries.
        return GroupResult()
    return result


def _plan_group(
    mailbox_id: int, loaded: list[Enrollment], context: GroupContext
) -> tuple[GroupResult, list[OutboundMessage]]:
    now = context.now
    # Lock order: mailbox, then enrollments, then quota rows — the sender's order too.
    mailbox = (
        Mailbox.objects.select_for_update(of=("self",))
        .select_related("domain")
        .filter(pk=mailbox_id)
        .first()
    )
    if mailbox is None:
        return GroupResult(), []
    by_pk = {e.pk: e for e in loaded}
    # Re-read under lock: what another tick planned or deferred meanwhile drops out here, and
    # the columns a person may have changed since the unlocked read are taken afresh.
    fresh = (
        Enrollment.objects.select_for_update()
        .filter(
            pk__in=list(by_pk),
            mailbox_id=mailbox_id,
            status=EnrollmentStatus.ACTIVE,
            next_send_at__lte=now,
        )
        .order_by("next_send_at", "id")
        .values_list("pk", "step_position", "slots")
    )
    writes = _Writes()
    candidates = []
    for pk, step_position, slots in fresh:
        enrollment = by_pk[pk]
        enrollment.step_position, enrollment.slots = step_position, slots
        enrollment.mailbox = mailbox
        if enrollment.sequence.status != SequenceStatus.ACTIVE:
            writes.defer(enrollment, now + RETRY_LATER, "sequence_inactive")
        elif enrollment.step_position >= len(context.steps.get(enrollment.sequence_id, [])):
            writes.end(enrollment, EnrollmentStatus.FINISHED, "")
        elif enrollment.lead_id in context.blocked:
            writes.end(enrollment, EnrollmentStatus.STOPPED, context.blocked[enrollment.lead_id])
        else:
            candidates.append(enrollment)
    if not candidates:
        writes.flush()
        return GroupResult(writes.outcomes), []

    stop = _mailbox_stop(mailbox, mailbox.domain, now)
    if stop is not None:
        return _hold(mailbox, now, *stop, writes), []
    ready = []
    for enrollment in candidates:
        lead_zone = enrollment.lead.timezone if enrollment.sequence.use_lead_timezone else ""
        zone = window_zone(mailbox, lead_zone)
        if not window_contains(mailbox, now, zone):
            writes.defer(enrollment, next_window_opening(mailbox, now, zone), "outside_window")
        elif any(
            m.step_position == enrollment.step_position
            for m in context.history.get(enrollment.pk, [])
        ):
            # The step already has a live message (moved back by hand): never a second one.
            writes.defer(enrollment, now + RETRY_LATER, "duplicate")
        else:
            ready.append(enrollment)
    if not ready:
        writes.flush()
        return GroupResult(writes.outcomes), []

    send_after = max(now, mailbox.next_free_at or now)
    if send_after > now + HORIZON:
        return _hold(mailbox, now, send_after, "mailbox_busy", writes), []
    slots, gaps = _slots(mailbox, send_after, now + HORIZON, len(ready))
    drafts, unrenderable = _render(ready, len(slots), context, writes)
    granted, full = 0, None
    if drafts:
        granted, full = quota_reserve_many(
            mailbox=mailbox,
            domain=mailbox.domain,
            mailbox_day=local_day(now, mailbox.timezone),
            domain_day=local_day(now, mailbox.domain.timezone),
            units=len(drafts),
        )
    messages = [
        _message(draft, mailbox, send_after=slot, now=now)
        for draft, slot in zip(drafts[:granted], slots, strict=False)
    ]
    if messages:
        OutboundMessage.objects.bulk_create(messages)
        # In flight: the planner must not see them again until the sender advances them.
        Enrollment.objects.filter(pk__in=[m.enrollment_id for m in messages]).update(
            next_send_at=None, updated_at=now
        )
        free_at = slots[granted - 1] + dt.timedelta(seconds=gaps[granted - 1])
        if free_at > max(now, mailbox.next_free_at or now):  # no gap: nothing to move
            mailbox.next_free_at = free_at
            Mailbox.objects.filter(pk=mailbox.pk).update(next_free_at=free_at)
        writes.outcomes["planned"] += len(messages)
    if len(messages) + unrenderable == len(ready):
        writes.flush()
        return GroupResult(writes.outcomes), messages
    if full == QuotaScope.MAILBOX:
        # Deferred to the mailbox's next day; that day's tick applies each window again.
        when, outcome = next_local_midnight(now, mailbox.timezone), "mailbox_cap"
    elif full == QuotaScope.DOMAIN:
        when, outcome = next_local_midnight(now, mailbox.domain.timezone), "domain_cap"
    else:  # the rest does not fit within the horizon: it waits for the mailbox's next gap
        when, outcome = mailbox.next_free_at or now + HORIZON, "mailbox_busy"
    return _hold(mailbox, now, when, outcome, writes), messages


def _mailbox_stop(
    mailbox: Mailbox, domain: SendingDomain, now: dt.datetime
) -> tuple[dt.datetime, str] | None:
    """When the whole mailbox may send again, and why, if it may not send now."""
    if mailbox.state == MailboxState.PAUSED:
        return now + RETRY_LATER, "mailbox_paused"
    if one_click_refusal(mailbox):
        return now + RETRY_LATER, "unsubscribe_not_https"
    domain_state = domain.state_on(local_day(now, domain.timezone))
    if domain_state == DomainState.PAUSED:
        return now + RETRY_LATER, "domain_paused"
    if domain_state == DomainState.WARMING:
        warm = dt.datetime.combine(domain.warm_on, dt.time(0), tzinfo=ZoneInfo(domain.timezone))
        return warm.astimezone(dt.UTC), "warming_up"
    return None


def _slots(
    mailbox: Mailbox, first: dt.datetime, horizon: dt.datetime, at_most: int
) -> tuple[list[dt.datetime], list[float]]:
    """Send times spaced by gap + jitter from ``first`` while within the horizon, and the gap
    drawn after each (the last one gives the mailbox's next free moment)."""
    slots: list[dt.datetime] = [first]
    gaps: list[float] = []
    while True:
        gaps.append(random.uniform(mailbox.gap_min_seconds, mailbox.gap_max_seconds))
        following = slots[-1] + dt.timedelta(seconds=gaps[-1])
        if len(slots) >= at_most or following > horizon:
            return slots, gaps
        slots.append(following)


def _render(
    ready: list[Enrollment], wanted: int, context: GroupContext, writes: _Writes
) -> tuple[list[_Draft], int]:
    """Render up to ``wanted`` emails in due order; an email that cannot be rendered ends its
    enrollment (``failed``). Returns the drafts and how many could not be rendered."""
    drafts: list[_Draft] = []
    failures = 0
    for enrollment in ready:
        if len(drafts) == wanted:
            break
        step = context.steps[enrollment.sequence_id][enrollment.step_position]
        variant = variant_for(step, enrollment)
        previous = None
        if step.same_thread:
            previous = _previous(context.history.get(enrollment.pk, []), enrollment.step_position)
        try:
            email = render_step(
                enrollment=enrollment, step=step, variant=variant, previous=previous
            )
        except (MissingValue, TemplateError) as exc:
            writes.end(enrollment, EnrollmentStatus.FAILED, f"Step {step.position + 1}: {exc}")
            failures += 1
            continue
        drafts.append(_Draft(enrollment, step, previous, email, variant.pk))
    return drafts, failures


def _previous(history: list[OutboundMessage], before: int) -> OutboundMessage | None:
    # A message lost mid-send may well have arrived: threading onto it is right.
    earlier = [
        m
        for m in history
        if m.step_position < before and m.status in (MessageStatus.SENT, MessageStatus.UNKNOWN)
    ]
    return max(earlier, key=lambda m: m.step_position, default=None)


def _message(
    draft: _Draft, mailbox: Mailbox, *, send_after: dt.datetime, now: dt.datetime
) -> OutboundMessage:
    enrollment = draft.enrollment
    return OutboundMessage(
        workspace_id=enrollment.workspace_id,
        enrollment=enrollment,
        lead=enrollment.lead,
        mailbox=mailbox,
        step=draft.step,
        variant_id=draft.variant_id,
        step_position=draft.step.position,
        message_id=f"<{uuid.uuid4().hex}@{mailbox.domain.domain}>",
        **message_fields(
            mailbox=mailbox, lead=enrollment.lead, email=draft.email, previous=draft.previous
        ),
        quota_mailbox_day=local_day(now, mailbox.timezone),
        quota_domain_day=local_day(now, mailbox.domain.timezone),
        send_after=send_after,
    )


def _hold(
    mailbox: Mailbox, now: dt.datetime, when: dt.datetime, outcome: str, writes: _Writes
) -> GroupResult:
    """Everything of this mailbox still due waits until ``when``, in one UPDATE."""
    writes.flush()  # first, so the rows it ended or deferred are not counted again here
    writes.outcomes[outcome] += Enrollment.objects.filter(
        mailbox=mailbox,
        status=EnrollmentStatus.ACTIVE,
        next_send_at__isnull=False,
        next_send_at__lte=now,
    ).update(next_send_at=when)
    return GroupResult(writes.outcomes, held=True)
