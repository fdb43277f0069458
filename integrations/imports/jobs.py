"""The ImportJob lifecycle: upload → configure (mapping, options) → start → run → done.

Also cancel (stops after the chunk in flight; committed rows stay) and resume (continues after
the last committed row: a killed worker neither loses nor repeats a row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from crm.errors import Conflict, ValidationFailed
from crm.models import CustomFieldDefinition, Membership, Workspace
from crm.selectors.records import list_get
from crm.services.custom_fields import custom_field_define
from crm.services.tags import tag_get_or_create
from integrations.imports.dialects import UnreadableFile, detect, read_rows, xlsx_row_count
from integrations.imports.files import safe_name, store_upload
from integrations.imports.mapping import (
    find_header_row,
    mapping_save,
    mapping_validate,
    suggest_mapping,
)
from integrations.imports.presets import PRESETS
from integrations.imports.targets import CUSTOM_PREFIX
from integrations.models import DuplicatePolicy, ImportJob, ImportStatus, SavedMapping

HEADER_SEARCH_ROWS = 20
# A running job whose worker has not reported for this long is presumed dead and may resume.
STALE_AFTER = dt.timedelta(minutes=2)


def import_create(
    *,
    workspace: Workspace,
    user: Any,
    file_name: str,
    stream: IO[bytes],
    preset: str = "",
    saved_mapping: SavedMapping | None = None,
) -> ImportJob:
    """Store an uploaded file, read its dialect and header row, and suggest a mapping."""
    if preset and preset not in PRESETS:
        raise ValidationFailed.field("preset", f"Presets are {', '.join(PRESETS)}.")
    path = store_upload(workspace_id=workspace.pk, name=file_name, stream=stream)
    try:
        dialect = detect(path)
        first_rows = []
        for row in read_rows(path, dialect):
            first_rows.append(row.cells)
            if len(first_rows) >= HEADER_SEARCH_ROWS:
                break
    except (UnreadableFile, UnicodeDecodeError) as exc:
        path.unlink(missing_ok=True)
        raise ValidationFailed.field("file", str(exc)) from None
    if not first_rows:
        path.unlink(missing_ok=True)
        raise ValidationFailed.field("file", "The file has no rows.")
    header_index = find_header_row(first_rows)
    headers = [h.strip() for h in first_rows[header_index]]
    suggestion = suggest_mapping(
        workspace=workspace, headers=headers, preset=preset, saved=saved_mapping
    )
    chosen = PRESETS.get(suggestion.preset)
    rows_total = None
    if dialect.file_format == "xlsx":
        rows_total = max((xlsx_row_count(path) or 0) - header_index - 1, 0)
    return ImportJob.objects.create(
        workspace=workspace,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        file_path=str(path),
        file_name=safe_name(file_name),
        file_size=path.stat().st_size,
        file_format=dialect.file_format,
        encoding=dialect.encoding,
        delimiter=dialect.delimiter,
        header_row=header_index + 1,
        headers=headers,
        preset=suggestion.preset,
        mapping=suggestion.targets,
        source_label=chosen.source if chosen else "CSV import",
        rows_total=rows_total,
        owner=user if getattr(user, "is_authenticated", False) else None,
    )


def import_configure(
    *,
    job: ImportJob,
    mapping: Sequence[str] | None = None,
    on_duplicate: str | None = None,
    list_id: int | None = None,
    list_name: str | None = None,
    tags: Sequence[str] | None = None,
    owner_id: int | None = None,
    stage: str | None = None,
    source_label: str | None = None,
    save_mapping_as: str = "",
) -> ImportJob:
    """Set the mapping and options of a job that has not started.

    Columns mapped to ``custom:<key>`` for a key the workspace does not define yet create a text
    custom field named after the column. A ``list_name`` that does not exist creates the list.
    """
    if job.status != ImportStatus.DRAFT:
        raise Conflict("This import has already started; its settings are fixed.")
    workspace = job.workspace
    if mapping is not None:
        job.mapping = mapping_validate(mapping, len(job.headers))
    if on_duplicate is not None:
        if on_duplicate not in DuplicatePolicy.values:
            raise ValidationFailed.field(
                "on_duplicate", f"Must be one of {', '.join(DuplicatePolicy.values)}."
            )
        job.on_duplicate = on_duplicate
    if list_id is not None:
        job.lead_list = list_get(workspace=workspace, list_id=list_id)
    elif list_name:
        job.lead_list = _list_named(workspace, list_name)
    if tags is not None:
        job.tag_ids = [
            tag_get_or_create(workspace=workspace, name=name, color="slate").pk
            for name in dict.fromkeys(t.strip() for t in tags if t.strip())
        ]
    if owner_id is not None:
        if not Membership.objects.filter(workspace=workspace, user_id=owner_id).exists():
            raise ValidationFailed.field(
                "owner_id", "The owner must be a member of this workspace."
            )
        job.owner_id = owner_id
    if stage is not None:
        job.stage = stage.strip()[:30] or "cold"
    if source_label is not None:
        job.source_label = source_label.strip()[:100]
    with transaction.atomic():
        _define_custom_fields(job)
        if save_mapping_as:
            mapping_save(
                workspace=workspace, name=save_mapping_as, headers=job.headers, targets=job.mapping
            )
        job.save()
    return job


def _list_named(workspace: Workspace, name: str):  # type: ignore[no-untyped-def]
    from crm.models import LeadList
    from crm.services.lists import list_create

    existing = LeadList.objects.filter(workspace=workspace, name__iexact=name.strip()).first()
    return existing or list_create(workspace=workspace, data={"name": name})


def _define_custom_fields(job: ImportJob) -> None:
    known = set(
        CustomFieldDefinition.objects.filter(workspace=job.workspace, entity="lead").values_list(
            "key", flat=True
        )
    )
    for index, target in enumerate(job.mapping):
        if target.startswith(CUSTOM_PREFIX):
            key = target[len(CUSTOM_PREFIX) :]
            if key not in known:
                custom_field_define(
                    workspace=job.workspace, key=key, label=job.headers[index] or key
                )
                known.add(key)


def import_start(*, job: ImportJob) -> ImportJob:
    """Queue the import on the ``import`` Celery queue, after this transaction commits."""
    from integrations.tasks import import_enqueue

    mapping_validate(job.mapping, len(job.headers))
    changed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DRAFT).update(
        status=ImportStatus.QUEUED
    )
    if not changed:
        raise Conflict("This import has already started.")
    transaction.on_commit(lambda: import_enqueue(job.pk))
    job.refresh_from_db()
    return job


def import_cancel(*, job: ImportJob) -> ImportJob:
    """Stop an import; rows of chunks already committed stay imported (re-running is safe)."""
    changed = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportStatus.DRAFT, ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.CANCELLED, finished_at=timezone.now())
    if not changed:
        raise Conflict("Only an import that has not finished can be cancelled.")
    job.refresh_from_db()
    return job


def import_resume(*, job: ImportJob, force: bool = False) -> ImportJob:
    """Queue a failed, cancelled or abandoned import again; it continues after its cursor.

    A job still ``running`` is resumable only when its worker has been silent for STALE_AFTER
    (or with ``force``, for the CLI after a crash the operator knows about).
    """
    from integrations.tasks import import_enqueue

    resumable = [ImportStatus.FAILED, ImportStatus.CANCELLED]
    stale = timezone.now() - STALE_AFTER
    qs = ImportJob.objects.filter(pk=job.pk)
    changed = qs.filter(status__in=resumable).update(status=ImportStatus.QUEUED, error_message="")
    if not changed:
        running = qs.filter(status=ImportStatus.RUNNING)
        if not force:
            running = running.filter(heartbeat_at__lt=stale)
        changed = running.update(status=ImportStatus.QUEUED)
    if not changed:
        raise Conflict("Only a failed, cancelled or stalled import can be resumed.")
    transaction.on_commit(lambda: import_enqueue(job.pk))
    job.refresh_from_db()
    return job
