"""A worker killed with SIGKILL in the middle of a send: no duplicate, the message is unknown."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from outreach.models import MessageStatus, OutboundMessage
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message, sweep_stale_sends
from outreach.services.enrollments import enrollments_add
from tests.factories import LeadFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("concurrent_db")]

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)
WORKER = (
    "import django; django.setup(); from outreach.sending.sender import send_message; "
    "send_message(message_id={id})"
)


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_worker_killed_mid_send_never_causes_a_duplicate(
    workspace, sequence, actor, smtp_server, tmp_path
):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None)
    message = OutboundMessage.objects.get()
    smtp_server.set_mode("hang")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DATABASE_URL": database_url(),
        "ENCRYPTION_KEY": settings.ENCRYPTION_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
        "KINDLING_VAR_DIR": str(tmp_path),
        "SITE_URL": settings.SITE_URL,  # https: an SMTP mailbox sends nothing otherwise
        "OUTBOUND_ALLOW_PRIVATE": "127.0.0.1",  # the loopback SMTP server
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(id=message.pk)], env=env, cwd=settings.BASE_DIR
    )
    deadline = time.monotonic() + 20
    while not smtp_server.received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert smtp_server.received, "the worker never reached the SMTP server"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING  # claimed, result never written
    smtp_server.set_mode("accept")
    assert send_message(message_id=message.pk).outcome == "not_claimed"  # a restarted worker
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11), tick=False):
        assert sweep_stale_sends().unknown == 1
        assert plan_due_sends(now=timezone.now(), enqueue=lambda pk, d: None) == {}
    message.refresh_from_db()
    assert message.status == MessageStatus.UNKNOWN
    assert len(smtp_server.received) == 1
