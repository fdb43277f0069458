"""A worker SIGKILLed in the middle of a delivery: after the lease times out, the next pass
sends the same message again with the same webhook-id (at least once, never lost).

Needs a database a second process can open (PostgreSQL); the in-memory SQLite test database
cannot be shared, so there the lease take-over is tested in-process (test_delivery.py).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from integrations.webhooks.outbound.claim import lease_timeout
from integrations.webhooks.outbound.models import DeliveryStatus, WebhookDelivery

ROOT = Path(__file__).parents[3]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _end_orphaned_sessions(*, since: dt.datetime) -> None:
    # A SIGKILLed client leaves its server session behind for a while; it would block the
    # test database's teardown.
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND pid <> pg_backend_pid() AND backend_start >= %s",
            [since],
        )


@pytest.mark.django_db(transaction=True)
def test_a_delivery_cut_by_sigkill_is_sent_again_with_the_same_id(
    receiver, endpoint_for, new_lead, deliver
):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database a second process can open")
    endpoint_for(receiver, "lead.created")
    new_lead()
    receiver.answer((200, 8))  # the first attempt hangs: the worker dies waiting
    started = timezone.now()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "ENCRYPTION_KEY": django_settings.ENCRYPTION_KEY,
        "OUTBOUND_ALLOW_PRIVATE": "127.0.0.1",
        "WEBHOOK_TIMEOUT": "60",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "deliver_webhooks", "--json"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not receiver.received:
            assert time.monotonic() < deadline, "the worker sent nothing"
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=10)
        _end_orphaned_sessions(since=started)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.claimed_by  # the dead worker's lease
    assert delivery.attempts == 0  # it never recorded an answer
    first = receiver.received[0]
    assert first.verified

    assert deliver()["delivered"] == 0  # the lease still holds
    with time_machine.travel(timezone.now() + lease_timeout() + dt.timedelta(seconds=1)):
        assert deliver() == {"delivered": 1, "failed": 0, "retry_later": 0}
    second = receiver.received[-1]
    assert second.verified
    assert second.msg_id == first.msg_id
    assert second.body == first.body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
