"""Post-source refresh benchmark on PostgreSQL: 10,000 RSS sources over 100+ host names.

    .venv/bin/python bench/feed_refresh_bench.py [--admin-url postgres://postgres@127.0.0.1/postgres]
        [--database kindling_bench_feed_refresh] [--sources 10000] [--hosts 100] [--posts 3]

Drops and recreates its own database, migrates it, makes one workspace with N leads and one RSS
source each, spread over H host names (h0.feeds.bench …) that the client's resolver hook sends
to a feed server on 127.0.0.1 running in another process (so it does not share this one's
GIL). Each feed has P recent items and an ETag, and answers 304 to it.

Pass 1 is ``refresh_posts`` on everything due (all new: N×P posts and as many ``post.detected``
events); pass 2 is ``refresh_posts --all`` answered by 304s. Prints both times, the counts, the
ratio and the peak memory (RSS) of this process. Targets (issue 13): pass 1 under 60 s, peak
under 500 MB, pass 2 at least 3× faster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import re
import resource
import sys
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FEED_PATH = re.compile(r"^/feed/(\d+)\.xml$")


def _feed(n: int, posts: int) -> bytes:
    now = dt.datetime.now(dt.UTC)
    items = "".join(
        f"<item><title>Post {k} of {n}</title><link>https://blog{n}.example/p/{k}</link>"
        f"<guid>https://blog{n}.example/p/{k}</guid><description>&lt;p&gt;Something "
        f"worth a comment, number {k}.&lt;/p&gt;</description>"
        f"<pubDate>{format_datetime(now - dt.timedelta(hours=5 * k + 1))}</pubDate></item>"
        for k in range(posts)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Blog {n}</title><link>https://blog{n}.example/</link>{items}</channel></rss>"
    ).encode()


def _serve(port_out, posts: int) -> None:  # type: ignore[no-untyped-def]
    cache: dict[int, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            match = FEED_PATH.match(self.path)
            if not match:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            n = int(match.group(1))
            etag = f'"{n}-v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = cache.get(n) or cache.setdefault(n, _feed(n, posts))
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 512
    port_out.put(server.server_address[1])
    server.serve_forever()


def _database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))


def _setup(sources: int, hosts: int, port: int):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from crm.models import Lead
    from crm.services.workspaces import user_get_or_create, workspace_create
    from integrations.feed.models import SocialIdentity

    owner, _ = user_get_or_create(email="bench@feed.bench", password="bench-password")
    workspace = workspace_create(name="Feed bench", slug="feed-bench", owner=owner)
    leads = Lead.objects.bulk_create(
        [Lead(workspace=workspace, email=f"lead{i}@bench.example") for i in range(sources)],
        batch_size=2000,
    )
    now = timezone.now()
    SocialIdentity.objects.bulk_create(
        [
            SocialIdentity(
                workspace=workspace,
                lead=lead,
                network="rss",
                value=f"http://h{i % hosts}.feeds.bench:{port}/feed/{i}.xml",
                resolved_url=f"http://h{i % hosts}.feeds.bench:{port}/feed/{i}.xml",
                next_check_at=now,
            )
            for i, lead in enumerate(leads)
        ],
        batch_size=2000,
    )


def _pass(everything: bool):  # type: ignore[no-untyped-def]
    from integrations.feed.refresh import feed_client, refresh_sources

    with feed_client(resolve=lambda host, port: ["127.0.0.1"]) as client:
        started = time.perf_counter()
        counts = refresh_sources(everything=everything, client=client)
        return time.perf_counter() - started, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1/postgres")
    parser.add_argument("--database", default="kindling_bench_feed_refresh")
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--posts", type=int, default=3)
    args = parser.parse_args()

    queue: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(queue, args.posts), daemon=True)
    server.start()
    port = queue.get(timeout=10)

    os.environ["DATABASE_URL"] = _database(args.admin_url, args.database)
    os.environ["OUTBOUND_ALLOW_PRIVATE"] = "127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _setup(args.sources, args.hosts, port)
    # Events show leads through the API's schemas: load the API once, as any running process
    # has, so its import is not timed as part of the first pass.
    import crm.api  # noqa: F401

    print(f"{args.sources} RSS sources on {args.hosts} host names, {args.posts} posts each")

    first_time, first = _pass(everything=False)
    print(
        f"pass 1 (all due, new posts): {first_time:6.1f} s  sources={first.sources} "
        f"new_posts={first.new_posts} not_modified={first.not_modified} errors={first.errors}"
    )
    second_time, second = _pass(everything=True)
    print(
        f"pass 2 (--all, 304s):        {second_time:6.1f} s  sources={second.sources} "
        f"new_posts={second.new_posts} not_modified={second.not_modified} errors={second.errors}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pass 2 is {first_time / second_time:.1f}x faster; peak memory {peak:.0f} MB")
    server.terminate()


if __name__ == "__main__":
    main()
