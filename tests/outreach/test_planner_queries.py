"""A planning tick costs queries per mailbox and per batch, never per enrollment due.

The only growth allowed is the database's own limit on parameters per statement: SQLite takes
about 40 messages per INSERT, so ``bulk_create`` splits there (PostgreSQL takes them all in one).
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.models import Lead
from outreach.models import DailyQuota, Enrollment, OutboundMessage
from outreach.sending.planner import plan_due_sends
from outreach.services.domains import sending_domain_create
from outreach.services.mailboxes import mailbox_create
from tests.outreach.conftest import WARM, smtp_settings

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)
FAR_AWAY = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
# Upper bounds: the batch's reads (keyset, enrollments, steps, variants, suppression, messages,
# the last empty keyset) and one mailbox group on its first tick of the day (savepoint, two
# locks, the quota rows created and reserved, the insert, the enrollment update).
PER_TICK = 7
PER_MAILBOX = 15


def enroll_due(workspace, sequence, mailboxes, n, at, tag):
    """``n`` new enrollments spread over the mailboxes, due just before ``at``."""
    leads = Lead.objects.bulk_create(
        Lead(workspace=workspace, first_name=f"{tag}{i}", email=f"{tag}{i}@x{i % 7}.test")
        for i in range(n)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            workspace=workspace,
            sequence=sequence,
            lead=lead,
            mailbox=mailboxes[i % len(mailboxes)],
            next_send_at=at - dt.timedelta(seconds=1 + i),
        )
        for i, lead in enumerate(leads)
    )


def tick_queries(now):
    with CaptureQueriesContext(connection) as queries:
        outcomes = plan_due_sends(now=now, enqueue=lambda pk, delay: None)
    return len(queries.captured_queries), outcomes


def message_inserts(messages_per_mailbox: list[int]) -> int:
    """INSERT statements ``bulk_create`` needs on this database for these mailbox groups."""
    fields = [f for f in OutboundMessage._meta.concrete_fields if not f.primary_key]
    total = 0
    for n in messages_per_mailbox:
        rows = connection.ops.bulk_batch_size(fields, [None] * n)
        total += math.ceil(n / rows)
    return total


@pytest.fixture
def three_mailboxes(workspace, sending_domain, smtp_server):
    sending_domain.daily_cap = 10_000
    sending_domain.save()
    other = sending_domain_create(
        workspace=workspace, domain="mail.other.test", added_on=WARM, daily_cap=10_000
    )
    caps = {"daily_cap": 10_000, "ramp_start": 10_000}
    return [
        mailbox_create(
            workspace=workspace,
            domain=domain,
            address=f"m{i}@{domain.domain}",
            data=smtp_settings(smtp_server, **caps),
        )
        for i, domain in enumerate([sending_domain, sending_domain, other])
    ]


@pytest.fixture
def roomy_caps(sending_domain, mailbox):
    sending_domain.daily_cap = 10_000
    sending_domain.save()
    mailbox.daily_cap = mailbox.ramp_start = 10_000
    mailbox.save()


@pytest.mark.usefixtures("roomy_caps")
def test_ten_times_more_due_costs_no_more_queries(workspace, sequence, mailbox):
    # Enrollments due much later are never read: they must not cost anything either.
    enroll_due(workspace, sequence, [mailbox], 300, FAR_AWAY, "later")
    enroll_due(workspace, sequence, [mailbox], 10, MONDAY_10, "a")
    few, few_outcomes = tick_queries(MONDAY_10)
    # The next day, ten times as many are due (the first ten are in flight, not due).
    tuesday = MONDAY_10 + dt.timedelta(days=1)
    enroll_due(workspace, sequence, [mailbox], 100, tuesday, "b")
    many, many_outcomes = tick_queries(tuesday)

    assert few_outcomes == {"planned": 10}
    assert many_outcomes == {"planned": 100}
    assert many - few == message_inserts([100]) - message_inserts([10])
    assert few <= PER_TICK + PER_MAILBOX
    assert DailyQuota.objects.filter(scope="mailbox", used=100).exists()


def test_the_query_count_follows_the_mailboxes_not_the_enrollments(
    workspace, sequence, three_mailboxes
):
    sequence.mailboxes.set(three_mailboxes)
    enroll_due(workspace, sequence, three_mailboxes, 30, MONDAY_10, "a")
    few, few_outcomes = tick_queries(MONDAY_10)
    tuesday = MONDAY_10 + dt.timedelta(days=1)
    enroll_due(workspace, sequence, three_mailboxes, 300, tuesday, "b")
    many, many_outcomes = tick_queries(tuesday)

    assert few_outcomes == {"planned": 30}
    assert many_outcomes == {"planned": 300}
    assert many - few == message_inserts([100] * 3) - message_inserts([10] * 3)
    assert few <= PER_TICK + 3 * PER_MAILBOX


@pytest.mark.usefixtures("roomy_caps")
def test_batches_add_a_fixed_cost_each(workspace, sequence, mailbox):
    enroll_due(workspace, sequence, [mailbox], 40, MONDAY_10, "a")
    one_batch, _ = tick_queries(MONDAY_10)
    tuesday = MONDAY_10 + dt.timedelta(days=1)
    enroll_due(workspace, sequence, [mailbox], 40, tuesday, "b")
    with CaptureQueriesContext(connection) as queries:
        outcomes = plan_due_sends(now=tuesday, batch_size=10, enqueue=lambda pk, delay: None)
    four_batches = len(queries.captured_queries)

    assert outcomes == {"planned": 40}
    extra = four_batches - one_batch - (message_inserts([10] * 4) - message_inserts([40]))
    # Three more batches, each reading, locking and writing once; the steps are read per tick.
    assert extra % 3 == 0
    assert 0 < extra // 3 <= PER_TICK + PER_MAILBOX
