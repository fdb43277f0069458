"""Running an import: stream the file in chunks, one transaction per chunk, cursor included.

Parsing and validating (pure Python) happen in a reader thread one chunk ahead of the writes,
so the CPU-bound half overlaps the database's half. Memory stays bounded by two chunks plus the
set of people already seen (needed to tell in-file duplicates apart).
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from crm.actors import Actor
from crm.models import CustomFieldDefinition
from integrations.events import import_finished_record
from integrations.imports.chunk import ChunkImporter, ChunkOutcome, ListTarget
from integrations.imports.dialects import Dialect, read_rows
from integrations.imports.jobs import STALE_AFTER
from integrations.imports.parallel import write_in_parallel
from integrations.imports.rows import BadRow, LeadRow, RowCleaner
from integrations.imports.writer_base import ImportActor, LeadWriter
from integrations.models import ImportJob, ImportStatus

# Measured: 20,000-row chunks bought no speed that showed through the noise here and cost ~85 MB
# more peak memory (two chunks are in flight), so 10,000 it stays.
DEFAULT_CHUNK_ROWS = 10_000
# Live young objects (a few chunks' worth) after which a chunk boundary collects them.
YOUNG_OBJECTS_COLLECTED_AT = 1_000_000


@dataclass
class Chunk:
    rows: list[LeadRow | BadRow]
    last_row: int
    position: int


class _Stopped(Exception):
    """The job was cancelled while a chunk was being written: roll that chunk back."""


def import_run(
    *,
    job_id: int,
    actor: Actor | None = None,
    chunk_rows: int | None = None,
    on_chunk: Callable[[ImportJob], None] | None = None,
) -> ImportJob:
    """Run (or resume) a queued import to its end; returns the job as it finished.

    ``on_chunk`` is called after each committed chunk (progress bars; tests simulate a crash
    by raising from it). A job another worker is running is left alone.
    """
    job = _claim(job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    try:
        _run(job, actor or _actor_of(job), chunk_rows or _chunk_rows(), on_chunk)
    except _Stopped:
        pass
    except Exception as exc:
        # Marks the job so the user sees why and can resume; the error still propagates.
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED, error_message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    return job


def _chunk_rows() -> int:
    return int(getattr(settings, "IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS))


def _claim(job_id: int) -> ImportJob | None:
    now = timezone.now()
    qs = ImportJob.objects.filter(pk=job_id)
    changed = qs.filter(status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    if not changed:
        # A redelivered task (acks_late) after a worker died: take over a silent job.
        changed = qs.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER).update(
            status=ImportStatus.RUNNING
        )
    if not changed:
        return None
    job = ImportJob.objects.select_related("workspace", "lead_list", "created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(
        started_at=job.started_at or now,
        heartbeat_at=now,
        run_started_at=now,
        run_rows_start=job.rows_done,
        run_bytes_start=job.bytes_done,
        finished_at=None,
    )
    job.refresh_from_db()
    return job


def _actor_of(job: ImportJob) -> Actor:
    if job.created_by is not None:
        return Actor.of_user(job.created_by)
    return Actor.integration("CSV import")


def import_writer(job: ImportJob, actor: Actor) -> LeadWriter:
    payload: dict[str, Any] = {
        "source": job.source_label,
        "import_id": job.pk,
        "file": job.file_name,
    }
    if actor.name:
        payload["actor_name"] = actor.name
    who = ImportActor(actor.type, actor.user_id, payload)
    if connection.vendor == "postgresql":
        from integrations.imports.writer_postgres import PostgresWriter

        return PostgresWriter(workspace_id=job.workspace_id, owner_id=job.owner_id, actor=who)
    from integrations.imports.writer_sqlite import SQLiteWriter

    return SQLiteWriter(workspace_id=job.workspace_id, owner_id=job.owner_id, actor=who)


def stage_placer(job: ImportJob, actor: Actor) -> Callable[[list[int]], Any]:
    """Each chunk's new leads are recorded as one ``lead.created`` event (origin "import").

    The pipelines app places them, through its subscription, at the stage the job chose (Cold
    by default), in the chunk's transaction.
    """
    from crm.events import events_record_batch
    from pipelines.services import pipeline_create_default, pipeline_settings_get

    stage = _stage_of(job)
    # Created (if missing) here, once and committed, not by chunks that may run side by side.
    pipeline_create_default(workspace=job.workspace)
    pipeline_settings_get(workspace=job.workspace)
    hints = {"stage_id": stage.pk if stage is not None else None}
    data = {"import": {"id": job.pk, "file": job.file_name}}
    return lambda ids: events_record_batch(
        type="lead.created",
        workspace_id=job.workspace_id,
        actor=actor,
        subject_ids=ids,
        data=data,
        origin="import",
        hints=hints,
    )


def _stage_of(job: ImportJob) -> Any:
    """The job's stage choice (a stage id or a stage kind) as a Stage; None means Cold."""
    choice = (job.stage or "").strip()
    if not choice or choice == "cold":
        return None
    from pipelines.models import Stage

    stages = Stage.objects.filter(pipeline__workspace=job.workspace_id)
    if choice.isdigit():
        return stages.filter(pk=int(choice)).first()
    return stages.filter(kind=choice).order_by("pipeline_id", "position").first()


def cleaner_for(job: ImportJob) -> RowCleaner:
    definitions = {
        d.key: d
        for d in CustomFieldDefinition.objects.filter(workspace=job.workspace_id, entity="lead")
    }
    return RowCleaner(
        headers=job.headers,
        mapping=job.mapping,
        custom_fields=definitions,
        source_label=job.source_label,
    )


def job_rows(job: ImportJob) -> Iterator:
    """The file's rows after its header row."""
    dialect = Dialect(job.file_format, job.encoding, job.delimiter or ",")
    for row in read_rows(Path(job.file_path), dialect):
        if row.number > job.header_row:
            yield row


def _chunks(job: ImportJob, cleaner: RowCleaner, size: int) -> Iterator[Chunk]:
    rows: list[LeadRow | BadRow] = []
    last = position = 0
    for source in job_rows(job):
        last, position = source.number, source.position
        cleaned = cleaner.clean_source(source)
        if cleaned is not None:
            rows.append(cleaned)
        if len(rows) >= size:
            yield Chunk(rows, last, position)
            rows = []
    yield Chunk(rows, last, position)


def _read_ahead(chunks: Iterator[Chunk], stop: threading.Event) -> Iterator[Chunk]:
    """Iterate ``chunks`` in a thread, one chunk ahead; exceptions re-raise here."""
    box: queue.Queue = queue.Queue(maxsize=1)
    done = object()

    def produce() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        box.put(chunk, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(done)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            box.put(exc)

    threading.Thread(target=produce, name="import-reader", daemon=True).start()
    while True:
        item = box.get()
        if item is done:
            return
        if isinstance(item, BaseException):
            raise item
        yield item


def _writers(importer: ChunkImporter) -> int:
    """How many chunks may be written at once: two on PostgreSQL (see parallel.py), else one.

    One inside an outer transaction (other connections would not see its data) and for lists
    with a size limit (each chunk locks the list until it commits, so chunks cannot overlap).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    if importer.lead_list is not None and importer.lead_list.size_limit is not None:
        return 1
    return max(settings.IMPORT_WRITERS, 1)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the run (young objects collected when piled up).

    Chunks hold hundreds of thousands of small objects (rows, tuples of existing leads), and the
    automatic collector kept walking all of them: measured, it took a third of a SQLite import
    and half of a re-import. The import makes no reference cycles of its own; whatever a
    library leaves behind is collected between chunks once enough young objects piled up
    (most of a chunk's objects are freed by reference counting before that, never walked).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(job: ImportJob, actor: Actor, size: int, on_chunk: Callable | None) -> None:
    with _collector_paused():
        _run_chunks(job, actor, size, on_chunk)
    with transaction.atomic():
        finished = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.DONE,
            finished_at=timezone.now(),
            rows_total=F("rows_done"),
            bytes_done=job.file_size,
        )
        if finished:
            job.refresh_from_db()
            import_finished_record(job=job, actor=actor)


def _run_chunks(job: ImportJob, actor: Actor, size: int, on_chunk: Callable | None) -> None:
    lead_list = job.lead_list
    importer = ChunkImporter(
        writer=import_writer(job, actor),
        policy=job.on_duplicate,
        lead_list=ListTarget(lead_list.pk, lead_list.name, lead_list.size_limit)
        if lead_list
        else None,
        tag_ids=job.tag_ids,
        owner_id=job.owner_id,
        import_payload={"source": job.source_label, "import_id": job.pk, "file": job.file_name},
        place_new_leads=stage_placer(job, actor),
    )
    if importer.place_new_leads is not None and not job.stage_applied:
        ImportJob.objects.filter(pk=job.pk).update(stage_applied=True)
    resume_after = job.cursor_row  # rows up to here were committed by an earlier run

    def pending() -> Iterator[tuple[Chunk, list[LeadRow | BadRow]]]:
        for chunk in _read_ahead(_chunks(job, cleaner_for(job), size), stop):
            done = [r for r in chunk.rows if r.number <= resume_after]
            if done:
                importer.replay(done)
            if chunk.last_row > resume_after:
                yield chunk, [r for r in chunk.rows if r.number > resume_after]

    def on_committed() -> None:
        if gc.get_count()[0] > YOUNG_OBJECTS_COLLECTED_AT:
            gc.collect(1)
        if on_chunk is not None:
            on_chunk(job)

    stop = threading.Event()
    try:
        writers = _writers(importer)
        if writers > 1:
            write_in_parallel(
                pending(),
                importer=importer,
                writers=writers,
                commit=lambda chunk, outcome: _commit_progress(job, chunk, outcome),
                after_commit=importer.writer.after_commit,
                on_committed=on_committed,
            )
        else:
            for chunk, rows in pending():
                with transaction.atomic():
                    _commit_progress(job, chunk, importer.apply(rows))
                importer.writer.after_commit()
                on_committed()
        importer.writer.finish()
    finally:
        stop.set()


def _commit_progress(job: ImportJob, chunk: Chunk, outcome: ChunkOutcome) -> None:
    handled = outcome.created + outcome.updated + outcome.duplicates + outcome.failed
    rows_done = job.rows_done + handled
    values: dict[str, Any] = {
        "cursor_row": chunk.last_row,
        "rows_done": rows_done,
        "created": job.created + outcome.created,
        "updated": job.updated + outcome.updated,
        "duplicates": job.duplicates + outcome.duplicates,
        "failed": job.failed + outcome.failed,
        "heartbeat_at": timezone.now(),
    }
    if job.file_format == "csv" and chunk.position:
        values["bytes_done"] = chunk.position
        values["rows_total"] = max(rows_done, round(rows_done * job.file_size / chunk.position))
    # The status check makes cancellation take effect here: the chunk rolls back, the job stops.
    if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(**values):
        raise _Stopped
    for name, value in values.items():
        setattr(job, name, value)
