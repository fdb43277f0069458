"""The planning tick: due enrollments → reserved quota → queued OutboundMessages.

A tick costs what is due, not what is stored, and a fixed number of queries per batch (about 5)
and per mailbox in it (6 to 8), never per enrollment: 1,000 due over 10 mailboxes take about 100
queries (planning one enrollment per transaction took 13,000):

1. Keyset batches of ``(next_send_at, id, mailbox_id)`` over the partial index
   ``enrollment_due``: only rows due now are read, however many wait for later.
2. Per batch, reads without locks: the enrollments with their lead, company and sequence (one
   query); the steps and variants of their sequences (two queries, once per tick); whether each
   lead may be emailed, suppression included (one query, ``leads_block_reasons``); the live
   messages of those enrollments, for threading and to skip a step that already has one (one
   query).
3. The batch is grouped by mailbox, and each group is planned in its own transaction
   (``mailbox_plan``): lock the mailbox row, re-select the group's enrollments ``FOR UPDATE``
   still active and due (what another tick took meanwhile drops out), apply the checks, reserve
   the group's quota on the mailbox and on its domain with one conditional UPDATE each
   (``caps.quota_reserve_many``: ``used = used + k WHERE used <= cap - k``; when the cap binds,
   one read sizes a second UPDATE to what is left), render, insert the messages with one
   ``bulk_create``, take the planned enrollments out of the due set with one UPDATE, and enqueue
   each send after the commit, spaced by the mailbox's gap + jitter. Per-enrollment deferrals
   and ends are written with one UPDATE per distinct value. When the mailbox cannot send more
   now (cap, gap, paused, warming up), everything of it still due is deferred with one UPDATE
   and the rest of the tick skips it.

Why a transaction per mailbox and not per batch: planners of different mailboxes never wait on
each other (only the domain's quota row is shared, held until the end of one group), a lock
timeout or a refused insert rolls back one mailbox's group only, and every group locks in the
same order: mailbox → enrollments → mailbox quota → domain quota.

Guarantees kept from the one-by-one planner: the reservation, the messages and the enrollment
updates commit together or not at all; sends are enqueued only after the commit; a cap cannot be
exceeded by any number of concurrent ticks (the conditional UPDATE re-checks under the row lock);
the database refuses a second live message for a step (``outbound_one_per_step``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone

from outreach.models import (
    Enrollment,
    EnrollmentStatus,
    MessageStatus,
    OutboundMessage,
    Step,
    StepVariant,
)
from outreach.sending.mailbox_plan import Enqueue, GroupContext, plan_mailbox_group
from outreach.services.suppression import leads_block_reasons


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
    *, now: dt.datetime | None = None, batch_size: int = 1000, enqueue: Enqueue | None = None
) -> Counter:
    """Plan every enrollment due at ``now``; returns how many enrollments had each outcome.

    When a mailbox or a domain cannot send now (cap reached, gap, paused, warming up), all its
    due enrollments are deferred with one UPDATE and the rest of the tick skips that mailbox.
    """
    now = now or timezone.now()
    outcomes: Counter = Counter()
    held: set[int] = set()  # mailboxes deferred as a whole during this tick
    steps: dict[int, list[Step]] = {}  # per sequence, loaded once per tick
    after = None
    while batch := due_enrollment_ids(now=now, batch_size=batch_size, after=after):
        after = batch[-1][:2]
        ids = [enrollment_id for _, enrollment_id, mailbox_id in batch if mailbox_id not in held]
        if ids:
            _plan_batch(ids, now, enqueue or _enqueue_send, steps, held, outcomes)
    return outcomes


def enrollment_plan_next(
    *, enrollment_id: int, now: dt.datetime, enqueue: Enqueue | None = None
) -> str:
    """Plan the next step of one enrollment if it may go now; else push ``next_send_at`` to when
    it may. Returns what happened ("planned", "outside_window", "mailbox_cap" …, "gone")."""
    outcomes: Counter = Counter()
    _plan_batch([enrollment_id], now, enqueue or _enqueue_send, {}, set(), outcomes)
    return next(iter(outcomes), "gone")


def _plan_batch(
    ids: list[int],
    now: dt.datetime,
    enqueue: Enqueue,
    steps: dict[int, list[Step]],
    held: set[int],
    outcomes: Counter,
) -> None:
    # An unlocked look first: rows another planner took or deferred meanwhile cost nothing more.
    loaded = list(
        Enrollment.objects.filter(pk__in=ids, status=EnrollmentStatus.ACTIVE, next_send_at__lte=now)
        .select_related("lead__company", "sequence")
        .order_by("next_send_at", "id")
    )
    if not loaded:
        return
    _load_steps(steps, {e.sequence_id for e in loaded})
    context = GroupContext(
        now=now,
        enqueue=enqueue,
        steps=steps,
        blocked=leads_block_reasons(e.lead for e in loaded),
        history=_live_messages(e.pk for e in loaded),
    )
    groups: dict[int, list[Enrollment]] = defaultdict(list)
    for enrollment in loaded:
        groups[enrollment.mailbox_id].append(enrollment)
    for mailbox_id, group in groups.items():
        if mailbox_id in held:
            continue
        result = plan_mailbox_group(mailbox_id=mailbox_id, enrollments=group, context=context)
        outcomes.update({k: n for k, n in result.outcomes.items() if n})
        if result.held:
            held.add(mailbox_id)


def _load_steps(steps: dict[int, list[Step]], sequence_ids: set[int]) -> None:
    missing = sequence_ids - steps.keys()
    if not missing:
        return
    for sequence_id in missing:
        steps[sequence_id] = []
    variants = Prefetch("variants", queryset=StepVariant.objects.order_by("label"))
    rows = Step.objects.filter(sequence_id__in=missing).prefetch_related(variants)
    for step in rows.order_by("sequence_id", "position"):
        steps[step.sequence_id].append(step)


def _live_messages(enrollment_ids: Iterable[int]) -> dict[int, list[OutboundMessage]]:
    """Every message of these enrollments that is not cancelled, oldest step first."""
    history: dict[int, list[OutboundMessage]] = defaultdict(list)
    rows = (
        OutboundMessage.objects.filter(enrollment_id__in=list(enrollment_ids))
        .exclude(status=MessageStatus.CANCELLED)
        .only("enrollment_id", "step_position", "status", "message_id", "references", "subject")
        .order_by("enrollment_id", "step_position")
    )
    for message in rows:
        history[message.enrollment_id].append(message)
    return history


def _enqueue_send(message_id: int, delay: float) -> None:
    from outreach.tasks import send_message_task

    send_message_task.apply_async((message_id,), countdown=max(0.0, delay), queue="send")
