"""Lead table and API at 1,000,000 leads on PostgreSQL: search, filters, sorts, deep pages.

    .venv/bin/python bench/leads_list_bench.py [--admin-url postgres://postgres@127.0.0.1/postgres]
                                               [--leads 1000000] [--runs 30]

Creates (drops first) its own database ``kindling_bench_leads``, migrates it, generates the
leads set-based (INSERT … SELECT generate_series: varied names, 20,000 companies, 40 countries,
three owners, two years of creation dates, one 50,000-lead list and a 20,000-lead tag) next to
a second workspace of 100,000 leads, then times ``GET /api/v1/leads`` — the whole request,
authentication and JSON included — and the web leads table, and prints p50/p95 in ms.

The baseline in the same run is OFFSET pagination at the same depth: what the deep-page case
would cost without keyset cursors.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "kindling_bench_leads"
FIRST = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Lars",
    "Maya",
    "Nils",
    "Olga",
    "Pablo",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
]
LAST = [
    "Berg",
    "Costa",
    "Dubois",
    "Eriksson",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Olsen",
    "Petrov",
    "Quinn",
    "Rossi",
    "Silva",
    "Tanaka",
    "Weber",
    "Rivera",
    "Nakamura",
    "Okafor",
    "Lindqvist",
]
COUNTRIES = [
    "Sweden",
    "France",
    "Germany",
    "Spain",
    "Italy",
    "Norway",
    "Denmark",
    "Finland",
    "Poland",
    "Portugal",
    "Netherlands",
    "Belgium",
    "Austria",
    "Switzerland",
    "Ireland",
    "United Kingdom",
    "United States",
    "Canada",
    "Mexico",
    "Brazil",
    "Argentina",
    "Chile",
    "Japan",
    "Korea",
    "India",
    "Singapore",
    "Australia",
    "New Zealand",
    "South Africa",
    "Nigeria",
    "Kenya",
    "Egypt",
    "Turkey",
    "Greece",
    "Czechia",
    "Hungary",
    "Romania",
    "Estonia",
    "Latvia",
    "Lithuania",
]


def _recreate_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return urlunparse(urlparse(admin_url)._replace(path=f"/{DB_NAME}"))


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _insert_sql(model, special: dict[str, str], *, returning: bool = False) -> str:  # type: ignore[no-untyped-def]
    """INSERT … SELECT over generate_series(1, n) AS i with a value for every NOT NULL column."""
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
            values.append("'[]'::jsonb" if field.default is list else "'{}'::jsonb")
        elif isinstance(field, models.BooleanField):
            values.append("false")
        elif isinstance(field, models.DateTimeField):
            values.append("now()")
        elif isinstance(field, (models.IntegerField, models.BigIntegerField)):
            values.append("0")
        else:
            values.append("''")
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(values)} FROM generate_series(1, %s) AS i"
    )
    return sql + (" RETURNING id" if returning else "")


def _lead_values(workspace_id: int, owner_ids: list[int], companies: tuple[int, int]) -> dict:
    first, last, countries = _sql_array(FIRST), _sql_array(LAST), _sql_array(COUNTRIES)
    owners = "ARRAY[" + ",".join(str(o) for o in owner_ids) + "]"
    company_lo, company_count = companies
    fn = f"({first})[1 + i %% {len(FIRST)}]"
    ln = f"({last})[1 + (i / 7) %% {len(LAST)}]"
    email = f"lower({fn}) || '.' || lower({ln}) || i || '@company' || (i %% 20000) || '.example'"
    return {
        "workspace": str(workspace_id),
        "first_name": fn,
        "last_name": ln,
        "email": email,
        "email_status": "'unknown'",
        "title": "(ARRAY['Head of Sales','VP Sales','Founder','CTO','SDR'])[1 + i %% 5]",
        "country": f"({countries})[1 + (i / 3) %% {len(COUNTRIES)}]",
        "owner": f"({owners})[1 + i %% {len(owner_ids)}]",
        "company": f"{company_lo} + i %% {company_count}",
        "search_text": f"lower({fn} || ' ' || {ln}) || ' ' || {email}",
        "created_at": "now() - (i %% 730) * interval '1 day' - (i %% 1440) * interval '1 minute'",
        "updated_at": "now() - (i %% 90) * interval '1 day'",
    }


def _generate(workspace, owners, leads: int) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from crm.models import Company, Lead, LeadList, LeadTag, ListMembership, Tag

    lead_t = Lead._meta.db_table
    with connection.cursor() as cur:
        started = time.perf_counter()
        cur.execute(
            _insert_sql(
                Company,
                {
                    "workspace": str(workspace.pk),
                    "name": "'Company ' || i",
                    "domain": "'company' || i || '.example'",
                },
                returning=True,
            ),
            [20_000],
        )
        company_ids = [row[0] for row in cur.fetchall()]
        values = _lead_values(
            workspace.pk, [o.pk for o in owners], (min(company_ids), len(company_ids))
        )
        cur.execute(_insert_sql(Lead, values), [leads])
        lead_list = LeadList.objects.create(workspace=workspace, name="Q4 outbound")
        cur.execute(
            f"""INSERT INTO "{ListMembership._meta.db_table}" (lead_list_id, lead_id, added_at)
            SELECT %s, id, now() FROM "{lead_t}" WHERE workspace_id = %s AND id %% 20 = 0""",
            [lead_list.pk, workspace.pk],
        )
        tag = Tag.objects.create(workspace=workspace, name="hot")
        through = LeadTag._meta.db_table
        cur.execute(
            f"""INSERT INTO "{through}" (tag_id, lead_id)
            SELECT %s, id FROM "{lead_t}" WHERE workspace_id = %s AND id %% 50 = 7""",
            [tag.pk, workspace.pk],
        )
        _place_in_pipeline(cur, workspace, lead_t)
        cur.execute("VACUUM ANALYZE")
    print(f"generated {leads:,} leads in {time.perf_counter() - started:.1f} s")


def _place_in_pipeline(cur, workspace, lead_t: str) -> None:  # type: ignore[no-untyped-def]
    """Every lead in the default pipeline, spread over its stages (the Stage column/filter)."""
    from pipelines.models import PipelineEntry
    from pipelines.services import pipeline_create_default

    pipeline = pipeline_create_default(workspace=workspace)
    stage_ids = list(pipeline.stages.order_by("position").values_list("pk", flat=True))
    cur.execute(
        f"""INSERT INTO "{PipelineEntry._meta.db_table}" (workspace_id, pipeline_id, stage_id,
            lead_id, value_minor, currency, entered_at, catch_up_count, created_at)
        SELECT workspace_id, %s, (%s::bigint[])[1 + id %% %s], id, 0, 'EUR', created_at, 0,
            created_at
        FROM "{lead_t}" WHERE workspace_id = %s""",
        [pipeline.pk, stage_ids, len(stage_ids), workspace.pk],
    )


def _time(label: str, fn: Callable[[], object], runs: int) -> tuple[str, float, float]:
    for _ in range(2):  # warm caches and connections
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
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]

    os.environ["DATABASE_URL"] = _recreate_database(args.admin_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from crm.models import Lead, LeadList, Tag
    from crm.services.api_keys import api_key_create
    from crm.services.workspaces import membership_add, user_get_or_create, workspace_create

    call_command("migrate", verbosity=0)
    owner, _ = user_get_or_create(email="bench@kindling.test", password="bench bench bench")
    workspace = workspace_create(name="Bench", slug="bench", owner=owner)
    owners = [owner]
    for n in range(2):
        sdr, _ = user_get_or_create(email=f"sdr{n}@kindling.test", password="bench bench bench")
        membership_add(workspace=workspace, user=sdr)
        owners.append(sdr)
    other = workspace_create(name="Other", slug="other", owner=owner)
    _generate(other, [owner], args.leads // 10)
    _generate(workspace, owners, args.leads)
    print(f"leads in the benchmark workspace: {Lead.objects.filter(workspace=workspace).count():,}")

    _, token = api_key_create(workspace=workspace, user=owner, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    web = Client()
    web.force_login(owner)
    lead_list = LeadList.objects.get(workspace=workspace)
    tag = Tag.objects.get(workspace=workspace)
    company_id = Lead.objects.filter(workspace=workspace).values_list("company_id", flat=True)[0]

    def get(params: dict) -> Callable[[], object]:
        def call() -> object:
            response = api.get("/api/v1/leads", {"limit": 50, **params})
            assert response.status_code == 200, response.content[:300]
            return response

        return call

    deep = {}
    for sort in ("-created_at", "last_name"):
        # Follow the cursor 200 pages deep (10,000 rows) once, to time a deep page.
        cursor = None
        for _ in range(200):
            body = api.get(
                "/api/v1/leads",
                {"limit": 50, "sort": sort, **({"cursor": cursor} if cursor else {})},
            ).json()
            cursor = body["next_cursor"]
        deep[sort] = cursor
    # The same depth with OFFSET (baseline): what keyset pagination saves.
    offset_qs = Lead.objects.filter(workspace=workspace).order_by("-created_at", "-id")

    def offset_page(offset: int) -> Callable[[], object]:
        return lambda: list(offset_qs[offset : offset + 50])

    from pipelines.models import Stage

    warm = Stage.objects.get(pipeline__workspace=workspace, pipeline__is_default=True, kind="warm")
    web_stage = {"stage": warm.pk}
    web_deep = {"cursor": str(deep["-created_at"]), "sort": "-created_at"}

    cases = [
        ("first page, newest first", get({})),
        ("page 201 (row 10,000), keyset", get({"cursor": deep["-created_at"]})),
        ("page 201 by last name, keyset", get({"sort": "last_name", "cursor": deep["last_name"]})),
        ("baseline: OFFSET 10,000 (ORM only)", offset_page(10_000)),
        ("baseline: OFFSET 500,000 (ORM only)", offset_page(args.leads // 2)),
        ("search 'rivera' (common name)", get({"q": "rivera"})),
        ("search one email", get({"q": "anna.dubois20@"})),
        ("search two words 'elena okafor'", get({"q": "elena okafor"})),
        ("filter country=Sweden", get({"country": "Sweden"})),
        ("filter list (50k members)", get({"list_id": lead_list.pk})),
        ("filter tag (20k leads)", get({"tag_id": tag.pk})),
        ("filter owner", get({"owner_id": owners[1].pk})),
        ("filter company", get({"company_id": company_id})),
        (
            "created in one month",
            get({"created_after": "2026-01-01", "created_before": "2026-01-31"}),
        ),
        ("sort by last name", get({"sort": "last_name"})),
        ("count, country=Sweden", lambda: api.get("/api/v1/leads/count", {"country": "Sweden"})),
        ("web leads table, first page", lambda: web.get("/w/bench/leads/")),
        ("web leads table, search", lambda: web.get("/w/bench/leads/", {"q": "rivera"})),
        ("web leads table, stage filter", lambda: web.get("/w/bench/leads/", web_stage)),
        ("web leads table, page 201", lambda: web.get("/w/bench/leads/", web_deep)),
    ]
    print(f"\n{'case':<40} {'p50 ms':>9} {'p95 ms':>9}")
    for label, fn in cases:
        name, p50, p95 = _time(label, fn, args.runs)
        print(f"{name:<40} {p50:9.1f} {p95:9.1f}")


if __name__ == "__main__":
    main()
