"""PostgreSQL writes two chunks at once: same result as one at a time, same crash safety.

These tests commit for real (``transaction=True``): the second writer has its own connection
and would not see data left uncommitted by a test transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from django.utils import timezone

from crm.actors import Actor
from crm.models import Activity, Company, Lead, ListMembership
from crm.services.leads import lead_create
from integrations.imports import run as runner
from integrations.imports.jobs import import_configure, import_create, import_resume
from integrations.models import ImportJob, ImportStatus
from pipelines.models import PipelineEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two writers need PostgreSQL (one on SQLite)"
    ),
]
ROWS = 60


def _file() -> bytes:
    lines = ["Email,First Name,Company,Website,LinkedIn"]
    for i in range(ROWS):
        # Companies span chunks: one created by chunk k is used again by chunk k+1.
        company = f"Company {i // 7}"
        lines.append(f"lead{i}@corp{i // 7}.com,Lead {i},{company},corp{i // 7}.com,")
    lines.insert(4, "not-an-email,Broken,,,")
    lines.insert(20, "LEAD2@corp0.com ,Again,Company 0,corp0.com,")  # in-file duplicate
    # Found through another identity than row 3's email: the same existing person again.
    lines.insert(3, "xavier@acme.com,Xavier,,,")
    lines.insert(33, "x.other@acme.com,Xav,,,https://linkedin.com/in/xavier")
    return ("\n".join(lines) + "\n").encode()


def _import(workspace, owner, *, writers: int, settings, on_chunk=None) -> ImportJob:
    settings.IMPORT_WRITERS = writers
    job = import_create(
        workspace=workspace, user=owner, file_name="leads.csv", stream=io.BytesIO(_file())
    )
    job = import_configure(job=job, list_name="Imported", on_duplicate="overwrite")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    return runner.import_run(job_id=job.pk, chunk_rows=5, on_chunk=on_chunk)


def _xavier(workspace, owner) -> Lead:
    lead, _ = lead_create(
        workspace=workspace,
        actor=Actor.of_user(owner),
        data={"email": "xavier@acme.com", "linkedin_url": "linkedin.com/in/xavier"},
    )
    return lead


def _state(workspace) -> dict:
    leads = Lead.objects.filter(workspace=workspace)
    return {
        "leads": sorted(leads.values_list("email", "first_name", "company__name")),
        "companies": Company.objects.filter(workspace=workspace).count(),
        "members": ListMembership.objects.filter(lead__workspace=workspace).count(),
        "entries": PipelineEntry.objects.filter(workspace=workspace).count(),
        "imported": Activity.objects.filter(workspace=workspace, kind="imported").count(),
    }


@pytest.fixture
def parallel_calls(monkeypatch):
    """Counts runs that went through the parallel writer (so a test knows it was exercised)."""
    calls = []
    real = runner.write_in_parallel

    def counting(*args, **kwargs):
        calls.append(kwargs["writers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "write_in_parallel", counting)
    return calls


def test_two_writers_import_exactly_what_one_writer_does(
    workspace, other_workspace, owner, stranger, settings, parallel_calls
):
    _xavier(workspace, owner)
    _xavier(other_workspace, stranger)

    two = _import(workspace, owner, writers=2, settings=settings)
    one = _import(other_workspace, stranger, writers=1, settings=settings)

    assert parallel_calls == [2]
    counts = ("status", "created", "updated", "duplicates", "failed", "rows_done", "cursor_row")
    assert {c: getattr(two, c) for c in counts} == {c: getattr(one, c) for c in counts}
    assert (two.created, two.updated, two.duplicates, two.failed) == (ROWS, 1, 2, 1)
    assert _state(workspace) == _state(other_workspace)
    assert _state(workspace)["companies"] == -(-ROWS // 7)


class WorkerKilled(BaseException):
    """Like SIGKILL: no except-Exception handler gets a chance to mark the job."""


def test_chunks_after_a_crash_roll_back_and_the_resume_completes(
    workspace, owner, settings, parallel_calls, django_capture_on_commit_callbacks
):
    committed = []
    threads = set()

    def die_after_three(job):
        threads.add(threading.current_thread())  # progress hooks may need the caller's thread
        committed.append(job.cursor_row)
        if len(committed) == 3:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        _import(workspace, owner, writers=2, settings=settings, on_chunk=die_after_three)
    job = ImportJob.objects.get(workspace=workspace)
    # The chunk written alongside the third rolled back: only committed rows are in.
    assert job.status == ImportStatus.RUNNING
    assert threads == {threading.current_thread()}
    assert job.cursor_row == committed[-1]
    assert Lead.objects.filter(workspace=workspace).count() == job.created
    assert ListMembership.objects.filter(lead__workspace=workspace).count() == job.created

    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        import_resume(job=job)
    job.refresh_from_db()

    assert job.status == ImportStatus.DONE
    assert (job.created, job.duplicates, job.failed) == (ROWS + 2, 1, 1)
    assert Lead.objects.filter(workspace=workspace).count() == ROWS + 2
    assert Activity.objects.filter(workspace=workspace, kind="imported").count() == ROWS + 2
    assert PipelineEntry.objects.filter(workspace=workspace).count() == ROWS + 2
    assert len(parallel_calls) == 2


def test_cancelling_rolls_back_every_chunk_not_yet_committed(
    workspace, owner, settings, parallel_calls
):
    def cancel_after_first(job):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CANCELLED)

    done = _import(workspace, owner, writers=2, settings=settings, on_chunk=cancel_after_first)

    assert done.status == ImportStatus.CANCELLED
    assert parallel_calls == [2]
    assert done.created == Lead.objects.filter(workspace=workspace).count()
    assert 0 < done.created < 10


def test_a_file_that_fails_midway_stops_the_writers_without_hanging(
    workspace, owner, settings, parallel_calls, monkeypatch
):
    from integrations.imports.rows import RowCleaner

    clean = RowCleaner.clean

    def unreadable_from_row_40(self, number, cells):
        if number >= 40:
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        return clean(self, number, cells)

    monkeypatch.setattr(RowCleaner, "clean", unreadable_from_row_40)
    outcome: list[BaseException | ImportJob] = []

    def run() -> None:
        try:
            outcome.append(_import(workspace, owner, writers=2, settings=settings))
        except BaseException as exc:
            outcome.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)

    assert not worker.is_alive(), "the import hung"
    assert isinstance(outcome[0], UnicodeDecodeError)
    job = ImportJob.objects.get(workspace=workspace)
    assert job.status == ImportStatus.FAILED
    assert 0 < job.cursor_row < 40
    assert Lead.objects.filter(workspace=workspace).count() == job.created
