"""python manage.py import_leads FILE --workspace SLUG [--preset NAME] [--on-duplicate POLICY]
[--list NAME] [--tag T ...] [--source LABEL] [--json]

Runs the import in this process (no worker needed) with a progress bar on stderr. With --json
the last line of stdout is {"created", "updated", "duplicates", "failed", "errors_file"}.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from crm.actors import Actor
from crm.errors import DomainError
from crm.models import Workspace
from integrations.imports.errors_report import errors_csv_write
from integrations.imports.jobs import import_configure, import_create
from integrations.imports.presets import PRESETS
from integrations.imports.run import import_run
from integrations.models import DuplicatePolicy, ImportJob, ImportStatus


class Command(BaseCommand):
    help = "Import leads from a CSV, TSV or Excel file into a workspace."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)
        parser.add_argument("--workspace", required=True, help="Workspace slug")
        parser.add_argument("--preset", choices=sorted(PRESETS), default="")
        parser.add_argument(
            "--on-duplicate", choices=DuplicatePolicy.values, default=DuplicatePolicy.SKIP
        )
        parser.add_argument("--list", dest="list_name", default="", help="List name (created)")
        parser.add_argument("--tag", dest="tags", action="append", default=[])
        parser.add_argument("--source", default=None, help="Source label on each lead")
        parser.add_argument("--stage", default="cold", help="Initial pipeline stage kind")
        parser.add_argument("--errors-file", type=Path, default=None)
        parser.add_argument("--chunk-rows", type=int, default=None)
        parser.add_argument("--json", action="store_true", help="End with a JSON summary line")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        workspace = Workspace.objects.filter(slug=opts["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug '{opts['workspace']}'.")
        try:
            with open(path, "rb") as stream:
                job = import_create(
                    workspace=workspace,
                    user=None,
                    file_name=path.name,
                    stream=stream,
                    preset=opts["preset"],
                )
            job = import_configure(
                job=job,
                mapping=job.mapping,
                on_duplicate=opts["on_duplicate"],
                list_name=opts["list_name"] or None,
                tags=opts["tags"],
                stage=opts["stage"],
                source_label=opts["source"],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
        job = self._run(job, opts)
        errors_file = None
        if job.failed:
            errors_file = opts["errors_file"] or path.with_name(f"{path.stem}.errors.csv")
            errors_csv_write(job=job, path=errors_file)
        summary = {
            "created": job.created,
            "updated": job.updated,
            "duplicates": job.duplicates,
            "failed": job.failed,
            "errors_file": str(errors_file) if errors_file else None,
        }
        if job.status != ImportStatus.DONE:
            raise CommandError(f"Import {job.pk} ended {job.status}: {job.error_message}")
        if opts["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"Import {job.pk}: {job.created} created, {job.updated} updated, "
                f"{job.duplicates} duplicates, {job.failed} failed"
                + (f" (errors in {errors_file})" if errors_file else "")
            )

    def _run(self, job: ImportJob, opts: dict) -> ImportJob:
        total = job.file_size if job.file_format == "csv" else (job.rows_total or 0)
        unit = "B" if job.file_format == "csv" else "rows"
        with tqdm(total=total, unit=unit, unit_scale=True, disable=None, leave=False) as bar:

            def progress(current: ImportJob) -> None:
                done = current.bytes_done if unit == "B" else current.rows_done
                bar.update(done - bar.n)
                bar.set_postfix(rows=current.rows_done, refresh=False)

            return import_run(
                job_id=job.pk,
                actor=Actor.integration("import_leads"),
                chunk_rows=opts["chunk_rows"],
                on_chunk=progress,
            )
