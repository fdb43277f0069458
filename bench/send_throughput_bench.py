"""Sender benchmark: messages per second per worker into a local SMTP sink (aiosmtpd).

    .venv/bin/python bench/send_throughput_bench.py [--admin-url postgres://postgres@127.0.0.1/postgres]
        [--database kindling_bench_sendrate] [--messages 2000] [--mailboxes 4] [--workers 1]

Drops and recreates its own PostgreSQL database, migrates it, starts an aiosmtpd sink on loopback
(AUTH LOGIN required, as a real submission server would), and sets up mailboxes with caps
switched off (huge caps, no gap, window always open). Each run plans ``--messages`` queued
messages with the real planner (not timed), then each worker thread runs ``send_message`` — the
body of the Celery send task: claim, re-check, render, SMTP, mark sent, advance the enrollment —
over its share of them in order, the way a worker drains the send queue (broker overhead not
included). Two ways, in the same run and on the same data:

- ``reused``: the sender's connection pool (one logged-in connection per mailbox per worker);
- ``per-message``: the same code, the connection closed after every message (connect, EHLO,
  AUTH, QUIT each time) — the baseline.

Prints messages/s per worker and in total, and the ratio. Target (issue 5): ≥100 messages/s per
worker with connection reuse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
USERNAME, PASSWORD = "bench@sink.test", "bench-sink-password"


class Sink:
    """An SMTP server on loopback, in its own process (as a real one would be, and out of the
    worker's GIL), that accepts and counts every message after AUTH LOGIN."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._received = context.Value("q", 0)
        self._connections = context.Value("q", 0)
        self._ready = context.Event()
        self._stop = context.Event()
        with socket.socket() as probe:  # a free port on loopback
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._process = context.Process(
            target=_serve,
            args=(self.port, self._received, self._connections, self._ready, self._stop),
            daemon=True,
        )

    def start(self) -> int:
        self._process.start()
        if not self._ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")
        return self.port

    def stop(self) -> None:
        self._stop.set()
        self._process.join(10)

    @property
    def received(self) -> int:
        return self._received.value

    @property
    def connections(self) -> int:
        return self._connections.value


def _serve(port, received, connections, ready, stop) -> None:  # type: ignore[no-untyped-def]
    import logging
    import warnings

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd logs every command
    warnings.simplefilter("ignore")  # "AUTH without TLS": loopback only, on purpose

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
            with connections.get_lock():
                connections.value += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            with received.get_lock():
                received.value += 1
            return "250 2.0.0 Queued"

    def authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USERNAME, PASSWORD)
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    ready.set()
    stop.wait(3600)  # bounded: the sink never outlives a forgotten benchmark by long
    controller.stop()


def _database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))


def _setup(port: int, mailbox_count: int):  # type: ignore[no-untyped-def]
    from crm.services.workspaces import user_get_or_create, workspace_create
    from outreach.services.domains import sending_domain_create
    from outreach.services.mailboxes import mailbox_create
    from outreach.services.sequences import sequence_activate, sequence_create, step_add

    owner, _ = user_get_or_create(email="bench@send.test", password="bench bench bench")
    workspace = workspace_create(name="Bench", slug="bench", owner=owner)
    domain = sending_domain_create(
        workspace=workspace, domain="sink.test", added_on=dt.date(2020, 1, 1), daily_cap=10**9
    )
    caps_off = {
        "transport": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_username": USERNAME,
        "smtp_password": PASSWORD,
        "daily_cap": 10**9,
        "ramp_start": 10**9,
        "gap_min_seconds": 0,
        "gap_max_seconds": 0,
        "window_weekdays": list(range(7)),
        "window_start": dt.time(0),
        "window_end": dt.time(23, 59, 59),
        "ramp_starts_on": dt.date(2020, 1, 1),
    }
    mailboxes = [
        mailbox_create(workspace=workspace, domain=domain, address=f"m{i}@sink.test", data=caps_off)
        for i in range(mailbox_count)
    ]
    sequence = sequence_create(workspace=workspace, name="Bench", mailboxes=mailboxes)
    step_add(
        sequence=sequence,
        subject="{Quick question|A thought} for {{company|your team}}",
        body="{Hi|Hello} {{first_name|there}},\n\nSaw your post about hiring SDRs.\n",
    )
    return workspace, sequence_activate(sequence=sequence), mailboxes


def _queue(workspace, sequence, mailboxes, count: int, run: int) -> list[int]:  # type: ignore[no-untyped-def]
    """``count`` fresh enrollments planned into queued messages (the real planner, untimed)."""
    from django.utils import timezone

    from crm.models import Lead
    from outreach.models import Enrollment
    from outreach.sending.planner import plan_due_sends

    leads = Lead.objects.bulk_create(
        Lead(workspace=workspace, first_name=f"L{i}", email=f"r{run}-{i}@p{i % 50}.test")
        for i in range(count)
    )
    now = timezone.now()
    Enrollment.objects.bulk_create(
        Enrollment(
            workspace=workspace,
            sequence=sequence,
            lead=lead,
            mailbox=mailboxes[i % len(mailboxes)],
            next_send_at=now - dt.timedelta(seconds=1),
        )
        for i, lead in enumerate(leads)
    )
    queued: list[int] = []
    plan_due_sends(now=now, enqueue=lambda pk, delay: queued.append(pk))
    return queued


def _drain(ids: list[int], workers: int, per_message: bool) -> tuple[float, dict[str, int]]:
    """Seconds for ``workers`` threads to send ``ids`` (round-robin shares), and the outcomes."""
    from django.db import connection

    from outreach.models import OutboundMessage
    from outreach.sending import transport
    from outreach.sending.sender import send_message

    mailbox_of = dict(OutboundMessage.objects.filter(pk__in=ids).values_list("pk", "mailbox_id"))
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(workers + 1)

    def work(share: list[int]) -> None:
        barrier.wait()
        for pk in share:
            outcome = send_message(message_id=pk).outcome
            if per_message:
                transport.close(mailbox_of[pk])
            with lock:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        for mailbox_id in set(mailbox_of.values()):
            transport.close(mailbox_id)
        connection.close()

    threads = [threading.Thread(target=work, args=(ids[w::workers],)) for w in range(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, outcomes


def _database_latency() -> str:
    """What one round trip and one durable commit cost here: the floor under each send (the
    claim must be on disk before any SMTP traffic)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_latency_probe (n int)")
        started = time.perf_counter()
        for _ in range(100):
            cur.execute("SELECT 1")
        select_ms = (time.perf_counter() - started) * 10
        started = time.perf_counter()
        for n in range(50):
            cur.execute("INSERT INTO bench_latency_probe VALUES (%s)", [n])
        commit_ms = (time.perf_counter() - started) * 20
        cur.execute("DROP TABLE bench_latency_probe")
    load = os.getloadavg()[0]
    return (
        f"database round trip {select_ms:.2f} ms, durable commit {commit_ms:.2f} ms;"
        f" load average {load:.1f} on {os.cpu_count()} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1/postgres")
    parser.add_argument("--database", default="kindling_bench_sendrate")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--mailboxes", type=int, default=4)
    parser.add_argument("--workers", default="1")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database(args.admin_url, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ.setdefault("OUTBOUND_ALLOW_PRIVATE", "127.0.0.1")  # the sink listens on loopback
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sink = Sink()
    port = sink.start()
    try:
        print(_database_latency())
        workspace, sequence, mailboxes = _setup(port, args.mailboxes)
        run = 0
        rates: dict[tuple[str, int], float] = {}
        modes: list[tuple[str, bool]] = [("reused", False), ("per-message", True)]
        for workers in (int(w) for w in args.workers.split(",")):
            for label, per_message in modes:
                run += 1
                ids = _queue(workspace, sequence, mailboxes, args.messages, run)
                before_connections, before_received = sink.connections, sink.received
                seconds, outcomes = _drain(ids, workers, per_message)
                received = sink.received - before_received
                rate = len(ids) / seconds
                rates[(label, workers)] = rate
                print(
                    f"{workers} worker(s), {label:<11}: {len(ids):,} messages in {seconds:.2f} s"
                    f" = {rate:,.0f}/s total, {rate / workers:,.0f}/s per worker"
                    f" ({sink.connections - before_connections:,} SMTP connections,"
                    f" {received:,} received, {outcomes})"
                )
            ratio = rates[("reused", workers)] / rates[("per-message", workers)]
            print(f"{workers} worker(s): reused / per-message = {ratio:.1f}x")
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
