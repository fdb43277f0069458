"""A worker process SIGKILLed mid-import, then the import resumed: no duplicates, no loss.

Needs a database a second process can open (PostgreSQL); the in-memory SQLite test database
cannot be shared, so there the same guarantee is tested with a hook (test_lifecycle.py).
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
from django.db import connection
from django.utils import timezone

from crm.models import Activity, Lead
from integrations.imports.jobs import import_resume
from integrations.models import ImportJob, ImportStatus

ROWS = 3000
WORKER = """
import sys, time, django
django.setup()
from integrations.imports.run import import_run
# Slow chunks, so the test can kill the process between and during them.
import_run(job_id=int(sys.argv[1]), chunk_rows=100, on_chunk=lambda job: time.sleep(0.05))
"""


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
def test_a_sigkilled_worker_leaves_a_resumable_import(upload, workspace, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database a second process can open")
    lines = ["Email,First Name"] + [f"p{i}@acme.com,P{i}" for i in range(ROWS)]
    lines += [f"P{i}@ACME.COM,Again" for i in range(0, ROWS, 100)]  # in-file duplicates
    job = upload(("\n".join(lines) + "\n").encode())
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    started = timezone.now()
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "crm.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(job.pk)], env=env, cwd=Path(__file__).parents[2]
    )
    try:
        deadline = time.monotonic() + 60
        while ImportJob.objects.get(pk=job.pk).cursor_row < 500:
            assert time.monotonic() < deadline, "the worker made no progress"
            assert worker.poll() is None, "the worker ended before it could be killed"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=10)
        _end_orphaned_sessions(since=started)

    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING  # nobody could mark it
    assert 0 < job.cursor_row < ROWS
    committed = Lead.objects.filter(workspace=workspace).count()
    assert committed == job.created  # the cursor and the rows committed together
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))

    import_resume(job=job)  # eager Celery: runs the rest right here
    done = ImportJob.objects.get(pk=job.pk)

    assert done.status == ImportStatus.DONE
    assert (done.created, done.duplicates, done.failed) == (ROWS, ROWS // 100, 0)
    assert Lead.objects.filter(workspace=workspace).count() == ROWS
    assert Activity.objects.filter(workspace=workspace, kind="imported").count() == ROWS
