"""Outbound webhooks benchmark on PostgreSQL: 10,000 events delivered to a loopback receiver.

    .venv/bin/python bench/webhooks_bench.py [--events 10000] [--admin-url postgres://postgres@127.0.0.1/postgres]

Creates (drops first) its own database ``kindling_bench_webhooks`` and starts a receiver in its
own process (a stdlib threading HTTP server answering 200, verifying every 100th delivery with
the ``standardwebhooks`` package). Two runs, each timed from pending events to every delivery
acknowledged, through the same ``webhooks_pass`` that ``deliver_webhooks`` runs:

- ``single``: N ``lead.created`` events, one per lead (the UI/API door);
- ``batch``: one import-style event carrying N lead ids, fanned out at delivery into N messages
  built as the API returns the leads.

Target (issue 12): 10,000 events delivered in under 60 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "kindling_bench_webhooks"


def _recreate_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return urlunparse(urlparse(admin_url)._replace(path=f"/{DB_NAME}"))


def _receiver(port_out, count, bad, secret_in) -> None:  # type: ignore[no-untyped-def]
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    verifier: list[Webhook] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with count.get_lock():
                count.value += 1
                n = count.value
            if n % 100 == 0:
                if not verifier:
                    verifier.append(Webhook(secret_in.value.decode()))
                try:
                    verifier[0].verify(body, dict(self.headers.items()))
                except WebhookVerificationError:
                    with bad.get_lock():
                        bad.value += 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    port_out.value = server.server_address[1]
    server.serve_forever()


def _insert_leads(workspace_id: int, n: int, offset: int) -> list[int]:
    from crm.models import Lead

    leads = [
        Lead(
            workspace_id=workspace_id,
            first_name=f"First{i}",
            last_name=f"Last{i}",
            email=f"lead{i}@bench.test",
            title="Head of Sales",
            search_text=f"first{i} last{i}",
        )
        for i in range(offset, offset + n)
    ]
    Lead.objects.bulk_create(leads, batch_size=2000)
    return [lead.pk for lead in leads]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(label: str, expected: int, count, bad, receiver_pid: int) -> float:  # type: ignore[no-untyped-def]
    from integrations.webhooks.outbound.models import DeliveryStatus, WebhookDelivery
    from integrations.webhooks.outbound.passes import deliveries_send_due, outbox_dispatch

    start_count = count.value
    cpu_sender, cpu_receiver = time.process_time(), _cpu_seconds(receiver_pid)
    started = time.perf_counter()
    outbox_dispatch()
    dispatched = time.perf_counter()
    counts = deliveries_send_due(worker="bench")
    done = time.perf_counter()
    delivered = WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
    total = done - started
    print(
        f"{label:>7}: {expected:,} messages in {total:.1f} s "
        f"({expected / total:,.0f}/s; dispatch {dispatched - started:.1f} s, "
        f"send {done - dispatched:.1f} s) — pass counts {counts.as_dict()}, "
        f"receiver got {count.value - start_count:,}, delivered rows {delivered:,}, "
        f"signature failures {bad.value}; CPU seconds: sender "
        f"{time.process_time() - cpu_sender:.1f}, receiver "
        f"{_cpu_seconds(receiver_pid) - cpu_receiver:.1f}"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _recreate_database(args.admin_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ["OUTBOUND_ALLOW_PRIVATE"] = "127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    port = multiprocessing.Value("i", 0)
    count = multiprocessing.Value("i", 0)
    bad = multiprocessing.Value("i", 0)
    secret = multiprocessing.Array("c", 100)
    receiver = multiprocessing.Process(
        target=_receiver, args=(port, count, bad, secret), daemon=True
    )
    receiver.start()
    while not port.value:
        time.sleep(0.01)

    import django

    django.setup()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.utils import timezone

    from crm.actors import Actor
    from crm.events import events_record_batch
    from crm.events.lead_subject import leads_as_api
    from crm.models import Event
    from crm.services.workspaces import user_get_or_create, workspace_create
    from integrations.webhooks.outbound.endpoints import endpoint_create
    from integrations.webhooks.outbound.models import WebhookAttempt, WebhookDelivery

    call_command("migrate", verbosity=0)
    owner, _ = user_get_or_create(email="bench@bench.test", password="bench-password-1")
    workspace = workspace_create(name="Bench", slug="bench", owner=owner)
    _, key = endpoint_create(
        workspace=workspace,
        url=f"http://127.0.0.1:{port.value}/hook",
        created_by=owner,
        event_types=["lead.created"],
    )
    secret.value = key.encode()
    Event.objects.update(dispatched_at=timezone.now())  # the workspace's own events
    n = args.events
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"PostgreSQL, {os.cpu_count()} CPUs (load average {load}), receiver in its own "
        f"process; {n:,} events"
    )

    # -- single: one event per lead, each carrying its lead as the API shows it
    ids = _insert_leads(workspace.pk, n, 0)
    subjects = leads_as_api(workspace.pk, ids)
    now = timezone.now()
    Event.objects.bulk_create(
        [
            Event(
                workspace_id=workspace.pk,
                type="lead.created",
                subject_type="lead",
                subject_ids=[pk],
                payload={"lead": subjects[pk], "actor": {"type": "system"}},
                occurred_at=now,
            )
            for pk in ids
        ],
        batch_size=2000,
    )
    single = _run("single", n, count, bad, receiver.pid)

    # -- batch: one import-style event with n lead ids, fanned out at delivery
    WebhookAttempt.objects.all().delete()
    WebhookDelivery.objects.all().delete()
    ids = _insert_leads(workspace.pk, n, n)
    events_record_batch(
        type="lead.created",
        workspace_id=workspace.pk,
        actor=Actor.system("bench"),
        subject_ids=ids,
        origin="import",
    )
    batch = _run("batch", n, count, bad, receiver.pid)

    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    target = 60.0
    verdict = "PASS" if max(single, batch) < target else "FAIL"
    print(f"target < {target:.0f} s for {n:,}: {verdict} (worst {max(single, batch):.1f} s)")
    receiver.terminate()


if __name__ == "__main__":
    main()
