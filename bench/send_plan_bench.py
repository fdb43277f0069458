"""Planning-tick benchmark on PostgreSQL: how long ``plan_due_sends`` takes with N active
enrollments of which D are due, for two totals (cost should follow D, not N).

    .venv/bin/python bench/send_plan_bench.py [--admin-url postgres://postgres@127.0.0.1/postgres]
        [--totals 10000,1000000] [--due 1000]

Drops and recreates its own database ``kindling_bench_send``, migrates it, generates leads and
enrollments set-based (INSERT … SELECT generate_series), switches caps off (huge caps, no gap,
window always open, capture transport) and times one tick; also the keyset scan alone.
Target (issue 5): 1,000 due among 1,000,000 in under 1 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "kindling_bench_send"


def _database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return urlunparse(urlparse(admin_url)._replace(path=f"/{DB_NAME}"))


def _insert_select(model, special: dict[str, str]) -> str:
    """INSERT … SELECT generate_series with a value for every NOT NULL column."""
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.name in special:
            values.append(special[field.name])
        elif field.null:
            values.append("NULL")
        elif isinstance(field, models.JSONField):
            values.append("'{}'::jsonb")
        elif isinstance(field, models.BooleanField):
            values.append("false")
        elif isinstance(field, models.DateTimeField):
            values.append("now()")
        elif isinstance(field, models.IntegerField):
            values.append("0")
        else:
            values.append("''")
    return f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(values)}'


def _setup(total: int, due: int):  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.db import connection

    from crm.models import Lead
    from crm.services.workspaces import user_get_or_create, workspace_create
    from outreach.models import Enrollment
    from outreach.services.domains import sending_domain_create
    from outreach.services.mailboxes import mailbox_create
    from outreach.services.sequences import sequence_activate, sequence_create, step_add

    with connection.cursor() as cur:
        cur.execute("TRUNCATE crm_workspace, auth_user RESTART IDENTITY CASCADE")
    owner, _ = user_get_or_create(email="bench@send.test", password="bench bench bench")
    workspace = workspace_create(name="Bench", slug="bench", owner=owner)
    always = {
        "transport": "capture",
        "daily_cap": 1_000_000,
        "gap_min_seconds": 0,
        "gap_max_seconds": 0,
        "window_weekdays": list(range(7)),
        "window_start": dt.time(0),
        "window_end": dt.time(23, 59, 59),
        "ramp_starts_on": dt.date(2020, 1, 1),
    }
    mailboxes = []
    for d in range(3):
        domain = sending_domain_create(
            workspace=workspace,
            domain=f"d{d}.bench.test",
            added_on=dt.date(2020, 1, 1),
            daily_cap=1_000_000,
        )
        for m in range(4 if d == 0 else 3):
            mailboxes.append(
                mailbox_create(
                    workspace=workspace, domain=domain, address=f"m{m}@d{d}.bench.test", data=always
                )
            )
    sequence = sequence_create(workspace=workspace, name="Bench", mailboxes=mailboxes)
    step_add(
        sequence=sequence, subject="{Hi|Hello} {{first_name|there}}", body="Short and sweet.\n"
    )
    sequence_activate(sequence=sequence)
    ids = ",".join(str(m.pk) for m in mailboxes)
    with connection.cursor() as cur:
        cur.execute(
            _insert_select(
                Lead,
                {
                    "workspace": str(workspace.pk),
                    "first_name": "'Lead' || i",
                    "email": "'lead' || i || '@p' || (i %% 97) || '.bench.test'",
                    "email_status": "'unknown'",
                },
            )
            + " FROM generate_series(1, %s) AS i",
            [total],
        )
        cur.execute(
            _insert_select(
                Enrollment,
                {
                    "workspace": str(workspace.pk),
                    "sequence": str(sequence.pk),
                    "lead": "l.id",
                    "mailbox": f"(ARRAY[{ids}])[1 + (l.id %% {len(mailboxes)})]",
                    "status": "'active'",
                    "next_send_at": f"CASE WHEN row_number() OVER (ORDER BY l.id) <= {due} "
                    "THEN now() - interval '1 minute' "
                    "ELSE now() + interval '1 day' + l.id * interval '1 second' END",
                },
            )
            + " FROM crm_lead l",
            [],
        )
        cur.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1/postgres")
    parser.add_argument("--totals", default="10000,1000000")
    parser.add_argument("--due", type=int, default=1000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database(args.admin_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from outreach.sending.planner import due_enrollment_ids, plan_due_sends

    call_command("migrate", verbosity=0)
    for total in (int(t) for t in args.totals.split(",")):
        started = time.perf_counter()
        _setup(total, args.due)
        took = time.perf_counter() - started
        print(f"{total:>9,} enrollments, {args.due:,} due (data: {took:.1f} s)")
        now = timezone.now()
        started, after, scanned = time.perf_counter(), None, 0
        while batch := due_enrollment_ids(now=now, batch_size=500, after=after):
            scanned += len(batch)
            after = batch[-1][:2]
        took = (time.perf_counter() - started) * 1000
        print(f"  keyset scan of the due rows: {scanned:,} in {took:.0f} ms")
        count = [0]

        def counting(execute, sql, params, many, context, count=count):  # type: ignore[no-untyped-def]
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            started = time.perf_counter()
            outcomes = plan_due_sends(now=now, enqueue=lambda pk, delay: None)
            elapsed = time.perf_counter() - started
        n = count[0]
        print(f"  planning tick: {elapsed:.2f} s, {n:,} queries, {dict(outcomes)}")


if __name__ == "__main__":
    main()
