"""A webhook receiver on loopback that checks every delivery with the ``standardwebhooks``
package (an independent implementation of the spec), and helpers to make events."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from crm.actors import Actor
from crm.services.leads import lead_create
from integrations.webhooks.outbound.endpoints import endpoint_create
from integrations.webhooks.outbound.passes import webhooks_pass


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def msg_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next planned ``(status, delay)``, then 200 immediately."""

    url: str
    secrets: list[str] = field(default_factory=list)
    plan: list[tuple[int, float]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *plan: tuple[int, float]) -> None:
        self.plan.extend(plan)

    def next_answer(self) -> tuple[int, float]:
        with self.lock:
            return self.plan.pop(0) if self.plan else (200, 0.0)

    def verify(self, headers: dict[str, str], body: bytes) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            return True
        return False

    @property
    def ok(self) -> list[Received]:
        return [r for r in self.received if r.verified]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, delay = receiver.next_answer()
            verified = receiver.verify(headers, body)
            with receiver.lock:
                receiver.received.append(Received(headers, body, verified))
            if delay:
                time.sleep(delay)
            if not verified:
                status = 401
            reply = b'{"ok": true}' if status < 300 else b"receiver says no"
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    hook = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hook))
    server.daemon_threads = True
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint_for(workspace, owner):
    """An endpoint of Acme to ``receiver`` (listening to ``types``), its secret trusted there."""

    def make(receiver: Receiver, *types: str, **options: Any):
        endpoint, secret = endpoint_create(
            workspace=workspace,
            url=receiver.url,
            created_by=owner,
            event_types=types,
            **options,
        )
        receiver.secrets.append(secret)
        return endpoint

    return make


@pytest.fixture
def new_lead(workspace, owner):
    """Create a lead through the service (so ``lead.created`` is recorded)."""
    counter = iter(range(1, 10**6))

    def make(**data: Any):
        n = next(counter)
        lead, _ = lead_create(
            workspace=workspace,
            actor=Actor.of_user(owner),
            data={"email": f"lead{n}@example.com", "first_name": f"Lead{n}", **data},
        )
        return lead

    return make


@pytest.fixture
def deliver():
    """One pass of ``deliver_webhooks``, in process."""
    return lambda: webhooks_pass(worker="tests").as_dict()
