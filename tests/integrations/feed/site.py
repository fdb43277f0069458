"""A real HTTP server on loopback that plays any site a source reads (feeds, AppView, Mastodon).

Routes map a path (without the query) to a ``Reply`` or to a function of the request; every
request is recorded with its headers, and the most requests in flight at once per Host header
are counted (the per-host limit's evidence).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Send this many bytes of filler without a Content-Length (a body that never ends soon).
    stream_bytes: int = 0


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    @property
    def host(self) -> str:
        return self.headers.get("host", "")


Route = Reply | Callable[[Seen], Reply]


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.in_flight: Counter[str] = Counter()
        self.most_in_flight: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.port = 0

    def url(self, path: str = "", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        seen = Seen(
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in handler.headers.items()},
        )
        with self.lock:
            self.seen.append(seen)
            self.in_flight[seen.host] += 1
            self.most_in_flight[seen.host] = max(
                self.most_in_flight[seen.host], self.in_flight[seen.host]
            )
        try:
            route = self.routes.get(parts.path)
            reply = Reply(404, b"not here") if route is None else route
            if callable(reply):
                reply = reply(seen)
            if reply.delay:
                time.sleep(reply.delay)
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.stream_bytes:
                handler.send_header("Connection", "close")
                handler.end_headers()
                chunk = b"<" + b"x" * 65_535
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    for _ in range(reply.stream_bytes // len(chunk)):
                        handler.wfile.write(chunk)
                return
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            if reply.body:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    handler.wfile.write(reply.body)
        finally:
            with self.lock:
                self.in_flight[seen.host] -= 1


def serve_site() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            site._handle(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
