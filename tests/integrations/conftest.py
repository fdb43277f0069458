"""Helpers for import tests: upload a file (path or bytes) and run it like the API does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from integrations.imports.jobs import import_configure, import_create, import_start
from integrations.models import ImportJob

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def upload(workspace, owner):
    """Upload a sample (by name) or raw bytes; returns the draft job."""

    def make(source: str | bytes, *, name: str = "leads.csv", preset: str = "") -> ImportJob:
        if isinstance(source, bytes):
            data, file_name = source, name
        else:
            data, file_name = (SAMPLES / source).read_bytes(), source
        return import_create(
            workspace=workspace,
            user=owner,
            file_name=file_name,
            stream=io.BytesIO(data),
            preset=preset,
        )

    return make


@pytest.fixture
def run_import(upload, django_capture_on_commit_callbacks):
    """Upload, configure and run an import to its end (eager Celery); returns the job."""

    def run(source: str | bytes, *, name: str = "leads.csv", preset: str = "", **options):
        job = upload(source, name=name, preset=preset)
        if options:
            job = import_configure(job=job, **options)
        with django_capture_on_commit_callbacks(execute=True):
            import_start(job=job)
        job.refresh_from_db()
        return job

    return run
