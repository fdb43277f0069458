"""Proofs under concurrency: caps hold and no step is sent twice, whatever the number of workers.

Counted from what the SMTP server received, not from our own tables. Runs on SQLite by default
and on PostgreSQL when DATABASE_URL points at it (row locks, READ COMMITTED re-checks).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from crm.models import Lead
from outreach.caps import quota_reserve, quota_reserve_many
from outreach.models import DailyQuota, Enrollment, Mailbox, OutboundMessage, SendingDomain
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message
from outreach.services.domains import sending_domain_create
from outreach.services.mailboxes import mailbox_create
from outreach.services.sequences import sequence_activate, sequence_create, step_add
from tests.outreach.conftest import WARM, smtp_settings

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("concurrent_db")]

SIZE = int(os.environ.get("OUTREACH_PROOF_SIZE", "3000"))
WORKERS = 4
MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)
# (domain daily cap, [mailbox daily caps]): 10 mailboxes on 3 domains, some limits binding on
# the domain, some on the mailboxes.
LAYOUT = [(40, [30, 30, 30, 30]), (25, [5, 8, 30]), (60, [10, 12, 9])]


def in_threads(target, n=WORKERS):
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            target(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@pytest.fixture
def crowd(workspace, smtp_server):
    """SIZE leads due now in one sequence over 10 mailboxes on 3 domains."""
    mailboxes = []
    for d, (domain_cap, caps) in enumerate(LAYOUT):
        domain = sending_domain_create(
            workspace=workspace, domain=f"d{d}.test", added_on=WARM, daily_cap=domain_cap
        )
        for m, cap in enumerate(caps):
            mailboxes.append(
                mailbox_create(
                    workspace=workspace,
                    domain=domain,
                    address=f"m{m}@d{d}.test",
                    data=smtp_settings(smtp_server, daily_cap=cap),
                )
            )
    sequence = sequence_create(workspace=workspace, name="Crowd", mailboxes=mailboxes)
    step_add(sequence=sequence, subject="Hello {{first_name|there}}", body="Hi!")
    sequence_activate(sequence=sequence)
    leads = Lead.objects.bulk_create(
        Lead(workspace=workspace, first_name=f"L{i}", email=f"lead{i}@x{i % 50}.test")
        for i in range(SIZE)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            workspace=workspace,
            sequence=sequence,
            lead=lead,
            mailbox=mailboxes[i % len(mailboxes)],
            next_send_at=MONDAY_10 - dt.timedelta(seconds=i % 600),
        )
        for i, lead in enumerate(leads)
    )
    return mailboxes


def expected_total() -> int:
    return sum(min(domain_cap, sum(caps)) for domain_cap, caps in LAYOUT)


def test_concurrent_reservations_never_exceed_a_cap(workspace, sending_domain, mailbox):
    sending_domain.daily_cap = 7
    sending_domain.save()
    day = dt.date(2030, 3, 4)
    wins = Counter()

    def reserve(i):
        for _ in range(10):
            full = quota_reserve(
                mailbox=mailbox, domain=sending_domain, mailbox_day=day, domain_day=day
            )
            wins[i] += full is None

    in_threads(reserve, n=6)
    assert sum(wins.values()) == 7
    assert DailyQuota.objects.get(scope="domain", day=day).used == 7
    assert DailyQuota.objects.get(scope="mailbox", day=day).used == 7


def test_concurrent_reservations_of_several_units_never_exceed_a_cap(
    workspace, sending_domain, mailbox
):
    sending_domain.daily_cap = 23
    sending_domain.save()
    day = dt.date(2030, 3, 4)
    granted = Counter()

    def reserve(i):
        for units in (1, 4, 2, 7, 3, 5):
            got, _ = quota_reserve_many(
                mailbox=mailbox, domain=sending_domain, mailbox_day=day, domain_day=day, units=units
            )
            granted[i] += got

    in_threads(reserve, n=6)
    assert sum(granted.values()) == 23
    assert DailyQuota.objects.get(scope="domain", day=day).used == 23
    assert DailyQuota.objects.get(scope="mailbox", day=day).used == 23


def test_four_planners_and_four_senders_respect_every_cap_and_never_repeat_a_step(
    crowd, smtp_server
):
    queued: list[int] = []
    lock = threading.Lock()

    def enqueue(pk, delay):
        with lock:
            queued.append(pk)

    in_threads(lambda i: plan_due_sends(now=MONDAY_10, batch_size=200, enqueue=enqueue))

    # Every message is handed to every sender: a redelivered task must be a no-op.
    in_threads(lambda i: [send_message(message_id=pk) for pk in queued[i::1]])

    received = smtp_server.received
    by_lead = Counter(tuple(r.rcpt_tos) for r in received)
    assert by_lead and max(by_lead.values()) == 1
    assert len(received) == len(queued) == expected_total()

    per_mailbox = Counter(r.mail_from for r in received)
    for mailbox in Mailbox.objects.select_related("domain"):
        assert per_mailbox[mailbox.address] <= mailbox.daily_cap
    for domain in SendingDomain.objects.all():
        sent = sum(n for a, n in per_mailbox.items() if a.endswith(f"@{domain.domain}"))
        assert sent == min(domain.daily_cap, sum(m.daily_cap for m in domain.mailboxes.all()))


def test_the_next_day_sends_the_next_share_and_still_never_repeats(crowd, smtp_server):
    for day in range(2):
        now = MONDAY_10 + dt.timedelta(days=day)
        queued: list[int] = []
        in_threads(
            lambda i, now=now, q=queued: plan_due_sends(now=now, enqueue=lambda pk, d: q.append(pk))
        )
        in_threads(lambda i, q=queued: [send_message(message_id=pk) for pk in q[i::WORKERS]])
        assert len(queued) == expected_total()

    by_lead = Counter(tuple(r.rcpt_tos) for r in smtp_server.received)
    assert len(by_lead) == 2 * expected_total()
    assert max(by_lead.values()) == 1
    assert OutboundMessage.objects.filter(status="sent").count() == 2 * expected_total()
    assert timezone.now()  # keeps the import honest on both databases
