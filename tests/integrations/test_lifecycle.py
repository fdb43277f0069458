"""Cancel, crash and resume: no duplicates, no lost rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from crm.errors import Conflict
from crm.models import Activity, Lead
from integrations.imports.jobs import import_cancel, import_resume
from integrations.imports.run import import_run
from integrations.models import ImportJob, ImportStatus

ROWS = 25


def _file() -> bytes:
    lines = ["Email,First Name"] + [f"lead{i}@acme.com,Lead {i}" for i in range(ROWS)]
    lines.insert(7, "broken-email,Bad")
    lines.insert(15, "lead3@acme.com,Again")
    return ("\n".join(lines) + "\n").encode()


class WorkerKilled(BaseException):
    """Like SIGKILL: no except-Exception handler gets a chance to mark the job."""


def _queued(upload) -> ImportJob:
    job = upload(_file())
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    return job


def test_a_killed_import_resumes_without_duplicates_or_losses(
    upload, workspace, settings, django_capture_on_commit_callbacks
):
    job = _queued(upload)
    chunks = []

    def die_after_two(current):
        chunks.append(current.cursor_row)
        if len(chunks) == 2:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        import_run(job_id=job.pk, chunk_rows=5, on_chunk=die_after_two)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert 0 < job.cursor_row < ROWS
    with pytest.raises(Conflict):
        import_resume(job=job)  # the worker might still be alive
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        import_resume(job=job)
    job.refresh_from_db()

    assert job.status == ImportStatus.DONE
    assert (job.created, job.duplicates, job.failed) == (ROWS, 1, 1)
    assert job.rows_done == ROWS + 2
    assert Lead.objects.filter(workspace=workspace).count() == ROWS
    assert Activity.objects.filter(workspace=workspace, kind="imported").count() == ROWS
    assert job.row_errors.count() == 1


def test_a_failed_import_can_be_resumed(upload, workspace, django_capture_on_commit_callbacks):
    job = _queued(upload)

    def fail_once(current):
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        import_run(job_id=job.pk, chunk_rows=10, on_chunk=fail_once)
    job.refresh_from_db()
    assert (job.status, job.error_message) == (ImportStatus.FAILED, "database went away")

    with django_capture_on_commit_callbacks(execute=True):
        import_resume(job=job)
    job.refresh_from_db()

    assert (job.status, job.created) == (ImportStatus.DONE, ROWS)
    assert Lead.objects.filter(workspace=workspace).count() == ROWS


def test_cancelling_stops_after_the_chunk_in_flight(upload, workspace):
    job = _queued(upload)

    def cancel_after_first(current):
        if current.cursor_row and ImportJob.objects.get(pk=job.pk).status != "cancelled":
            import_cancel(job=current)

    done = import_run(job_id=job.pk, chunk_rows=5, on_chunk=cancel_after_first)

    assert done.status == ImportStatus.CANCELLED
    assert 0 < done.created < ROWS
    assert Lead.objects.filter(workspace=workspace).count() == done.created


def test_a_finished_import_cannot_be_cancelled(run_import):
    job = run_import(b"Email\na@acme.com\n")

    with pytest.raises(Conflict):
        import_cancel(job=job)


def test_a_second_worker_leaves_a_running_import_alone(upload):
    job = _queued(upload)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
    )

    untouched = import_run(job_id=job.pk)

    assert (untouched.status, untouched.created) == (ImportStatus.RUNNING, 0)


def test_the_garbage_collector_is_back_on_after_an_import_even_a_failed_one(upload):
    import gc

    job = _queued(upload)

    def fail(current):
        assert not gc.isenabled()  # paused while chunks are written
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        import_run(job_id=job.pk, chunk_rows=10, on_chunk=fail)

    assert gc.isenabled()
