"""What recording domain events costs ``lead_create``, and fan-out of a 1M-row import's events.

    python bench/events_bench.py [--leads 3000]      # PostgreSQL database kindling_bench_events

Creates N leads one by one through ``lead_create`` with events, then N more with events off
(the baseline: the same code path, no outbox row, no subject snapshot), alternating in blocks so
machine noise hits both, and prints the per-lead time of each and their ratio. For the import,
run ``bench/import_bench.py --db postgres --rows 1000000`` with and without ``--no-events``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1/postgres"
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "kindling_bench_events")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=3000)
    parser.add_argument("--blocks", type=int, default=6)
    args = parser.parse_args()
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        c.execute(f"CREATE DATABASE {PG_DATABASE}")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1/{PG_DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from crm.actors import Actor
    from crm.events import record
    from crm.services.leads import lead_create
    from crm.services.workspaces import user_get_or_create, workspace_create

    call_command("migrate", verbosity=0)
    user, _ = user_get_or_create(email="bench@kindling.test", password="bench bench bench")
    workspace = workspace_create(name="Bench", slug="bench", owner=user)
    actor = Actor.of_user(user)
    real_event, real_build = record.Event, record.subjects_build
    from bench.events_off import events_off

    timings: dict[str, float] = {"with events": 0.0, "without events": 0.0}
    per_block = args.leads // args.blocks
    made = 0
    for block in range(args.blocks * 2):
        label = "with events" if block % 2 == 0 else "without events"
        if label == "with events":
            record.Event, record.subjects_build = real_event, real_build  # type: ignore[misc]
        else:
            events_off()
        started = time.perf_counter()
        for _ in range(per_block):
            made += 1
            lead_create(
                workspace=workspace,
                actor=actor,
                data={
                    "email": f"lead{made}@example.com",
                    "first_name": "Ada",
                    "company_name": f"Company {made % 200}",
                },
            )
        timings[label] += time.perf_counter() - started
    n = per_block * args.blocks
    with_ms = timings["with events"] / n * 1000
    without_ms = timings["without events"] / n * 1000
    print(f"lead_create with events:    {with_ms:.2f} ms per lead ({n} leads)")
    print(f"lead_create without events: {without_ms:.2f} ms per lead ({n} leads)")
    print(f"ratio: {with_ms / without_ms:.2f} (target <= 1.25)")


if __name__ == "__main__":
    main()
