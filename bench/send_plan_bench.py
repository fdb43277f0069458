"""Planning-tick benchmark on PostgreSQL: how long ``plan_due_sends`` takes with N active
enrollments of which D are due, for several totals (cost should follow D, not N).

    .venv/bin/python bench/send_plan_bench.py [--admin-url postgres://postgres@127.0.0.1/postgres]
        [--database kindling_bench_send] [--totals 10000,1000000] [--due 100,1000]
        [--ticks 7] [--baseline-rev REV] [--baseline-ticks 1]

Drops and recreates its own database (``--database``), migrates it, generates leads and
enrollments set-based (INSERT … SELECT generate_series), switches caps off (huge caps, no gap,
window always open, capture transport) and times several ticks on the same data (p50/p95),
putting the data back between ticks (messages and quota deleted, planned enrollments due again,
VACUUM ANALYZE — none of it timed). Also times the keyset scan alone.

``--baseline-rev`` also times the planner as it was at a git revision (read with ``git show``,
nothing in the work tree changes), e.g. the one-enrollment-per-transaction planner of the
first outreach commit, in the same run and on the same data, and prints the ratio.
Target (issue 5): 1,000 due among 1,000,000 in under 1 s.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
Planner = Callable[..., dict]


def _database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))


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


def _make_due(due: int) -> None:
    """The first ``due`` enrollments (by id) due a minute ago, every other one tomorrow or later;
    messages, quota and the mailboxes' gaps as before any tick."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DELETE FROM outreach_outboundmessage")
        cur.execute("DELETE FROM outreach_dailyquota")
        cur.execute("UPDATE outreach_mailbox SET next_free_at = NULL")
        cur.execute("SELECT min(id) FROM outreach_enrollment")
        first = cur.fetchone()[0]
        cur.execute(
            "UPDATE outreach_enrollment SET status = 'active', next_send_at = CASE "
            "WHEN id < %s THEN now() - interval '1 minute' "
            "ELSE now() + interval '1 day' + id * interval '1 second' END "
            "WHERE next_send_at IS NULL OR next_send_at < now() + interval '1 hour' OR id < %s",
            [first + due, first + due],
        )
        # Outside any transaction (Django's autocommit), as autovacuum would between ticks.
        cur.execute("VACUUM ANALYZE outreach_enrollment")
        cur.execute("VACUUM ANALYZE outreach_outboundmessage")


def _planner_at(rev: str) -> Planner:
    """``plan_due_sends`` as it was at git revision ``rev``, loaded beside the current one."""
    source = subprocess.run(
        ["git", "show", f"{rev}:outreach/sending/planner.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType(f"planner_at_{rev[:12]}")
    exec(compile(source, f"{rev}:outreach/sending/planner.py", "exec"), module.__dict__)
    return module.plan_due_sends


def _ticks(plan: Planner, due: int, ticks: int) -> tuple[list[float], int, dict]:
    """Seconds of each tick, the queries of the last one and its outcomes."""
    from django.db import connection
    from django.utils import timezone

    seconds, count, outcomes = [], [0], {}

    def counting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count[0] += 1
        return execute(sql, params, many, context)

    for _ in range(ticks):
        _make_due(due)
        count[0] = 0
        now = timezone.now()
        with connection.execute_wrapper(counting):
            started = time.perf_counter()
            outcomes = dict(plan(now=now, enqueue=lambda pk, delay: None))
            seconds.append(time.perf_counter() - started)
    return seconds, count[0], outcomes


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _keyset_scan_ms(due: int) -> tuple[int, float]:
    from django.utils import timezone

    from outreach.sending.planner import due_enrollment_ids

    _make_due(due)
    now = timezone.now()
    started, after, scanned = time.perf_counter(), None, 0
    while batch := due_enrollment_ids(now=now, batch_size=500, after=after):
        scanned += len(batch)
        after = batch[-1][:2]
    return scanned, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1/postgres")
    parser.add_argument("--database", default="kindling_bench_send")
    parser.add_argument("--totals", default="10000,1000000")
    parser.add_argument("--due", default="100,1000")
    parser.add_argument("--ticks", type=int, default=7)
    parser.add_argument("--baseline-rev", default="")
    parser.add_argument("--baseline-ticks", type=int, default=1)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database(args.admin_url, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from outreach.sending.planner import plan_due_sends

    call_command("migrate", verbosity=0)
    planners: list[tuple[str, Planner, int]] = [("set-based", plan_due_sends, args.ticks)]
    if args.baseline_rev:
        baseline = _planner_at(args.baseline_rev)
        planners.append((f"at {args.baseline_rev[:10]}", baseline, args.baseline_ticks))
    dues = [int(d) for d in args.due.split(",")]
    results: dict[tuple[str, int, int], float] = {}
    for total in (int(t) for t in args.totals.split(",")):
        started = time.perf_counter()
        _setup(total, max(dues))
        took = time.perf_counter() - started
        print(f"{total:>9,} active enrollments (data: {took:.1f} s)")
        for due in dues:
            scanned, ms = _keyset_scan_ms(due)
            print(f"  {due:>6,} due: keyset scan alone {scanned:,} rows in {ms:.0f} ms")
            for label, plan, ticks in planners:
                seconds, queries, outcomes = _ticks(plan, due, ticks)
                p50 = statistics.median(seconds)
                results[(label, total, due)] = p50
                p95 = _p(seconds, 0.95)
                print(
                    f"    {label:<14} p50 {p50 * 1000:>7.0f} ms  p95 {p95 * 1000:>7.0f} ms"
                    f"  ({len(seconds)} ticks, {queries:,} queries, {outcomes})"
                )
    for (label, total, due), p50 in results.items():
        if label != "set-based":
            ratio = p50 / results[("set-based", total, due)]
            print(f"{total:>9,} total, {due:,} due: {label} / set-based = {ratio:.0f}x")


if __name__ == "__main__":
    main()
