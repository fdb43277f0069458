"""Reads of imports: a workspace's jobs, one job (404 outside its workspace), live progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crm.models import Workspace
from integrations.models import ImportJob, ImportRowError, ImportStatus, SavedMapping


def import_get(*, workspace: Workspace, job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob, workspace=workspace, pk=job_id)


def imports_recent(*, workspace: Workspace, limit: int = 50) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(workspace=workspace).order_by("-created_at", "-id")[:limit]


def import_errors(*, job: ImportJob, limit: int = 100) -> QuerySet[ImportRowError]:
    return ImportRowError.objects.filter(job=job).order_by("row_number", "id")[:limit]


def mappings_of(*, workspace: Workspace) -> QuerySet[SavedMapping]:
    return SavedMapping.objects.filter(workspace=workspace).order_by("name")


def mapping_get(*, workspace: Workspace, mapping_id: int) -> SavedMapping:
    return get_object_or_404(SavedMapping, workspace=workspace, pk=mapping_id)


@dataclass
class Progress:
    percent: float
    rows_done: int
    rows_total: int | None
    rows_per_second: float | None
    eta_seconds: int | None
    finished: bool


def import_progress(job: ImportJob) -> Progress:
    """Where a job stands: done/total, rate of the current run, time left (by bytes for CSV)."""
    finished = job.status in {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED}
    if job.status == ImportStatus.DONE:
        return Progress(100.0, job.rows_done, job.rows_done, None, 0, True)
    if job.file_format == "csv":
        fraction = job.bytes_done / job.file_size if job.file_size else 0.0
    else:
        fraction = job.rows_done / job.rows_total if job.rows_total else 0.0
    rate = eta = None
    if job.status == ImportStatus.RUNNING and job.run_started_at:
        elapsed = (timezone.now() - job.run_started_at).total_seconds()
        rows = job.rows_done - job.run_rows_start
        if elapsed > 0 and rows > 0:
            rate = rows / elapsed
            if job.file_format == "csv":
                run_bytes = job.bytes_done - job.run_bytes_start
                if run_bytes > 0:
                    eta = int((job.file_size - job.bytes_done) / (run_bytes / elapsed))
            elif job.rows_total:
                eta = int(max(job.rows_total - job.rows_done, 0) / rate)
    return Progress(
        round(min(fraction, 1.0) * 100, 1), job.rows_done, job.rows_total, rate, eta, finished
    )
