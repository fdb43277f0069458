"""Pipeline benchmark on PostgreSQL: 100,000 entries, 1,000,000 stage changes.

    .venv/bin/python bench/pipeline_bench.py [--admin-url postgres://postgres@127.0.0.1/postgres]

Creates (drops first) its own database ``kindling_bench_pipeline``, migrates it, generates the
data set-based (INSERT … SELECT generate_series, no ORM loop), then times the board's column
page, the column totals, a stage move and each report, and prints p50/p95 in milliseconds.
Targets (issue 4): column page p95 < 200 ms, move < 50 ms, each report < 500 ms.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "kindling_bench_pipeline"
ENTRIES = 100_000
CHANGES_PER_ENTRY = 10


def _recreate_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return urlunparse(urlparse(admin_url)._replace(path=f"/{DB_NAME}"))


def _lead_insert_sql(workspace_id: int) -> str:
    """INSERT … SELECT for n leads, with a value for every NOT NULL column of the model."""
    from django.db import models

    from crm.models import Lead

    special = {
        "workspace": str(workspace_id),
        "first_name": "'First' || i",
        "last_name": "'Last' || i",
        "email": "'lead' || i || '@bench' || (i %% 500) || '.test'",
        "email_status": "'unknown'",
        "title": "'Head of Sales'",
        "search_text": "'first' || i || ' last' || i || ' lead' || i || '@bench.test'",
    }
    columns, values = [], []
    for field in Lead._meta.concrete_fields:
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
            values.append("now() - (i %% 365) * interval '1 day'")
        elif isinstance(field, (models.IntegerField, models.BigIntegerField)):
            values.append("0")
        else:
            values.append("''")
    return (
        f'INSERT INTO "{Lead._meta.db_table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(values)} FROM generate_series(1, %s) AS i"
    )


def _generate(workspace, pipeline) -> None:
    from django.db import connection

    from pipelines.models import PipelineEntry, Stage, StageChange

    stages = list(Stage.objects.filter(pipeline=pipeline).order_by("position"))
    stage_ids = "ARRAY[" + ",".join(str(s.pk) for s in stages) + "]"
    n_stages = len(stages)
    entry_t = PipelineEntry._meta.db_table
    change_t = StageChange._meta.db_table
    with connection.cursor() as cur:
        started = time.perf_counter()
        cur.execute(_lead_insert_sql(workspace.pk), [ENTRIES])
        # Entries spread over the stages, weighted towards the top of the funnel.
        cur.execute(
            f"""
            INSERT INTO "{entry_t}" (workspace_id, pipeline_id, stage_id, lead_id, value_minor,
                currency, probability, owner_id, entered_at, catch_up_count,
                last_conversation_at, created_at)
            SELECT %s, %s,
                   ({stage_ids})[1 + (CASE WHEN l.id %% 3 = 0 THEN 0 ELSE l.id %% {n_stages} END)],
                   l.id, (l.id %% 500) * 10000, 'USD', NULL, NULL,
                   now() - (l.id %% 200) * interval '1 day' - (l.id %% 997) * interval '1 minute',
                   0, now() - (l.id %% 90) * interval '1 day', now() - interval '400 days'
            FROM "crm_lead" l WHERE l.workspace_id = %s
            """,
            [workspace.pk, pipeline.pk, workspace.pk],
        )
        # Ten moves per entry over the last year: a walk down the stages, ~36 days apart.
        cur.execute(
            f"""
            INSERT INTO "{change_t}" (workspace_id, pipeline_id, entry_id, from_stage_id,
                to_stage_id, seconds_in_from_stage, left_forward, actor_type, actor_user_id,
                actor_name, reason, created_at)
            SELECT e.workspace_id, e.pipeline_id, e.id,
                   CASE WHEN k = 1 THEN NULL
                        ELSE ({stage_ids})[1 + ((k - 2 + e.id %% 3) %% {n_stages})] END,
                   ({stage_ids})[1 + ((k - 1 + e.id %% 3) %% {n_stages})],
                   CASE WHEN k = 1 THEN NULL ELSE 3600 * (1 + (e.id * k) %% 2000) END,
                   CASE WHEN k = %s THEN NULL
                        ELSE (k + e.id %% 3) %% {n_stages} NOT IN (0, {n_stages - 1}) END,
                   'user', NULL, '', 'bench',
                   now() - interval '365 days' + k * interval '36 days'
                         + (e.id %% 1440) * interval '1 minute'
            FROM "{entry_t}" e CROSS JOIN generate_series(1, %s) AS k
            WHERE e.pipeline_id = %s
            """,
            [CHANGES_PER_ENTRY, CHANGES_PER_ENTRY, pipeline.pk],
        )
        cur.execute("VACUUM ANALYZE")
        print(
            f"generated {ENTRIES:,} leads + entries and {ENTRIES * CHANGES_PER_ENTRY:,} "
            f"stage changes in {time.perf_counter() - started:.1f} s"
        )


def _time(label: str, fn, runs: int) -> tuple[str, float, float]:
    for _ in range(3):  # warm caches and connections
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[max(0, math.ceil(0.95 * len(samples)) - 1)]
    return label, statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1/postgres")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]

    os.environ["DATABASE_URL"] = _recreate_database(args.admin_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from crm.actors import Actor
    from crm.services.api_keys import api_key_create
    from crm.services.workspaces import user_get_or_create, workspace_create
    from pipelines.models import PipelineEntry, StageChange
    from pipelines.selectors.board import BoardFilters, board_columns, column_page
    from pipelines.selectors.reports import (
        report_catch_ups_due,
        report_conversion,
        report_pipeline_value,
        report_referrals,
        report_time_in_stage,
    )
    from pipelines.services import entry_move, pipeline_create_default

    call_command("migrate", verbosity=0)
    user, _ = user_get_or_create(email="bench@kindling.test", password="bench bench bench")
    workspace = workspace_create(name="Bench", slug="bench", owner=user)
    pipeline = pipeline_create_default(workspace=workspace)
    _generate(workspace, pipeline)
    print(
        f"entries: {PipelineEntry.objects.count():,}, "
        f"stage changes: {StageChange.objects.count():,}"
    )

    stages = {s.name: s for s in pipeline.stages.all()}
    cold = stages["Cold"]
    deep_cursor = column_page(stage=cold, limit=5000).next_cursor
    web = Client()
    web.force_login(user)
    _, token = api_key_create(workspace=workspace, user=user, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    column_url = reverse("pipelines:column", kwargs={"ws": "bench", "stage_id": cold.pk})
    now = timezone.now()
    since90, since365 = now - dt.timedelta(days=90), now - dt.timedelta(days=365)

    # Moves: alternate entries between Engaged and Warm, each move stating where it was.
    movers = list(
        PipelineEntry.objects.filter(stage=stages["Engaged"]).select_related("stage", "lead")[:400]
    )
    actor = Actor.of_user(user)
    state = {"i": 0}

    def one_move():
        entry = movers[state["i"] % len(movers)]
        state["i"] += 1
        target = stages["Warm"] if entry.stage_id == stages["Engaged"].pk else stages["Engaged"]
        entry_move(entry=entry, to_stage=target, expected_from_stage=entry.stage, actor=actor)

    api_state = {"i": 200}

    def one_api_move():
        entry = movers[api_state["i"] % len(movers)]
        api_state["i"] += 1
        entry.refresh_from_db(fields=["stage"])
        target = stages["Warm"] if entry.stage_id == stages["Engaged"].pk else stages["Engaged"]
        response = api.post(
            f"/api/v1/entries/{entry.pk}/move",
            {
                "to_stage_id": target.pk,
                "expected_from_stage_id": entry.stage_id,
            },
            content_type="application/json",
        )
        assert response.status_code == 200, response.content

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    runs = args.runs
    results = [
        _time(
            "column page, selector (25 cards, page 1)",
            lambda: column_page(stage=cold, limit=25),
            runs,
        ),
        _time(
            "column page, selector (25 cards, after 5,000)",
            lambda: column_page(stage=cold, limit=25, cursor=deep_cursor),
            runs,
        ),
        _time(
            "column page, selector, text filter 'last12'",
            lambda: column_page(stage=cold, limit=25, filters=BoardFilters(q="last12")),
            runs,
        ),
        _time("column page, HTTP web (20 cards rendered)", lambda: ok(web.get(column_url)), runs),
        _time(
            "column page, HTTP API (25 cards)",
            lambda: ok(api.get(f"/api/v1/stages/{cold.pk}/entries?limit=25")),
            runs,
        ),
        _time(
            "column totals (count/sum/weighted, 9 stages)",
            lambda: board_columns(pipeline=pipeline),
            runs,
        ),
        _time(
            "whole board page, HTTP web (9 columns)",
            lambda: ok(web.get(reverse("pipelines:board", kwargs={"ws": "bench"}))),
            runs,
        ),
        _time("stage move, service", one_move, runs),
        _time("stage move, HTTP API", one_api_move, runs),
        _time("report: pipeline value", lambda: report_pipeline_value(pipeline=pipeline), runs),
        _time(
            "report: conversion, 90 days",
            lambda: report_conversion(pipeline=pipeline, since=since90, until=now),
            runs,
        ),
        _time(
            "report: conversion, 365 days",
            lambda: report_conversion(pipeline=pipeline, since=since365, until=now),
            runs,
        ),
        _time(
            "report: median time in stage, 90 days",
            lambda: report_time_in_stage(pipeline=pipeline, since=since90, until=now),
            runs,
        ),
        _time(
            "report: median time in stage, 365 days",
            lambda: report_time_in_stage(pipeline=pipeline, since=since365, until=now),
            runs,
        ),
        _time(
            "report: referrals per customer", lambda: report_referrals(workspace=workspace), runs
        ),
        _time(
            "report: catch-ups due",
            lambda: report_catch_ups_due(workspace=workspace, now=now, days=30),
            runs,
        ),
    ]
    print(f"\n{'operation':<52}{'p50 ms':>10}{'p95 ms':>10}")
    for label, p50, p95 in results:
        print(f"{label:<52}{p50:>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
