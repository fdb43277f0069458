"""Import benchmark: N Apollo-style rows end to end, then again (all duplicates), on one database.

    python bench/import_bench.py --rows 1000000 --db postgres   # database kindling_bench_import
    python bench/import_bench.py --rows 1000000 --db sqlite     # var/bench/bench.sqlite3

BENCH_PG_DATABASE names another PostgreSQL database (it is dropped and created afresh).
Prints rows/s, peak RSS, and (PostgreSQL) the ratio to a plain COPY of the deduplicated rows into
a table with only a unique index on lower(email), measured in the same run.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgres://postgres@127.0.0.1/postgres"
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "kindling_bench_import")


def _fresh_database(kind: str) -> None:
    if kind == "postgres":
        import psycopg

        with psycopg.connect(
            PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True
        ) as c:
            c.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            c.execute(f"CREATE DATABASE {PG_DATABASE}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1/{PG_DATABASE}"
    else:
        db = ROOT / "var" / "bench" / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _copy_baseline(path: Path) -> tuple[float, int]:
    """COPY the file's deduplicated rows into a table with a unique index on lower(email)."""
    from django.db import connection

    seen: set[str] = set()
    buffer = io.StringIO()
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        headers = next(reader)
        at = headers.index("Email")
        for cells in reader:
            key = cells[at].strip().lower()
            if key in seen:
                continue
            seen.add(key)
            buffer.write(
                "\t".join(
                    c.replace("\\", "\\\\")
                    .replace("\t", " ")
                    .replace("\n", "\\n")
                    .replace("\r", "\\r")
                    for c in cells
                )
                + "\n"
            )
    columns = ", ".join(f"c{i} text" for i in range(len(headers)))
    with connection.cursor() as cur:
        cur.execute(f"CREATE UNLOGGED TABLE IF NOT EXISTS copy_baseline ({columns})")
        cur.execute("TRUNCATE copy_baseline")
        cur.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS copy_baseline_email ON copy_baseline (lower(c{at}))"
        )
    raw = connection.connection
    data = buffer.getvalue()
    started = time.perf_counter()
    with raw.cursor() as cur, cur.copy("COPY copy_baseline FROM STDIN") as copy:
        copy.write(data)
    raw.commit()
    return time.perf_counter() - started, len(seen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument(
        "--no-pipeline",
        action="store_true",
        help="do not place new leads in the pipeline (isolates the import)",
    )
    parser.add_argument(
        "--no-events",
        action="store_true",
        help="baseline: write no event rows (placement still runs through the subscription)",
    )
    parser.add_argument("--list", default="Bench list")
    args = parser.parse_args()
    _fresh_database(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate_apollo_csv import generate
    from crm.actors import Actor
    from crm.services.workspaces import user_get_or_create, workspace_create
    from integrations.imports import run as runner
    from integrations.imports.jobs import import_configure, import_create
    from integrations.models import ImportJob, ImportStatus

    call_command("migrate", verbosity=0)
    path = ROOT / "var" / "bench" / f"apollo_{args.rows}.csv"
    if not path.exists():
        generate(args.rows, path)
    if args.no_events:
        from bench.events_off import events_off

        events_off()
    if args.no_pipeline:
        runner.stage_placer = lambda job, actor: None  # type: ignore[assignment]
    user, _ = user_get_or_create(email="bench@kindling.test", password="bench bench bench")
    workspace = workspace_create(name="Bench", slug="bench", owner=user)

    def one_run(label: str) -> ImportJob:
        with open(path, "rb") as stream:
            job = import_create(workspace=workspace, user=None, file_name=path.name, stream=stream)
        job = import_configure(job=job, list_name=args.list)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
        started = time.perf_counter()
        job = runner.import_run(job_id=job.pk, actor=Actor.integration("bench"))
        took = time.perf_counter() - started
        print(
            f"{label}: {job.rows_done} rows in {took:.1f} s = {job.rows_done / took:,.0f} rows/s"
            f" (created {job.created}, duplicates {job.duplicates}, failed {job.failed},"
            f" status {job.status}) peak RSS {_peak_mb():,.0f} MB",
            flush=True,
        )
        Path(job.file_path).unlink(missing_ok=True)
        return job, job.rows_done / took

    (_, import_rate) = one_run(f"import {args.db}")
    one_run(f"re-import {args.db} (all duplicates, skip)")
    if args.db == "postgres":
        took, rows = _copy_baseline(path)
        rate = rows / took
        print(
            f"baseline COPY of {rows} deduplicated rows into a table with a unique index on "
            f"lower(email): {took:.1f} s = {rate:,.0f} rows/s; import/COPY ratio "
            f"{import_rate / rate:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
