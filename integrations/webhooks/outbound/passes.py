"""One delivery pass: dispatch the outbox, then send every due delivery, retries included.

Deliveries are leased a batch at a time; the batch's POSTs run in a small thread pool (they
wait on the network, not the CPU) and their results are written together, so a pass keeps
many receivers busy with few database round trips.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils import timezone

from crm.net.http import post_client
from integrations.webhooks.outbound.claim import deliveries_claim, worker_name
from integrations.webhooks.outbound.endpoints import endpoint_signing_secrets
from integrations.webhooks.outbound.fanout import events_fan_out
from integrations.webhooks.outbound.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks.outbound.outcome import PassCounts, results_record
from integrations.webhooks.outbound.send import AttemptResult, attempt_send

BATCH = 100
SENDERS = 16


def outbox_dispatch() -> int:
    """Turn every pending event into deliveries; returns how many events were dispatched."""
    total = 0
    while taken := events_fan_out():
        total += taken
    return total


class _Connections:
    """Kept-alive connections for one pass, one client per host name (see ``post_client``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, httpx.Client] = {}

    def for_url(self, url: str) -> httpx.Client | None:
        host = (urlsplit(url).hostname or "").lower()
        if not host:
            return None
        with self._lock:
            client = self._clients.get(host)
            if client is None:
                client = self._clients[host] = post_client(timeout=float(settings.WEBHOOK_TIMEOUT))
            return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


def _send_batch(
    pool: ThreadPoolExecutor, connections: _Connections, deliveries: list[WebhookDelivery]
) -> PassCounts:
    endpoints = WebhookEndpoint.objects.in_bulk({d.endpoint_id for d in deliveries})
    secrets_ = {pk: endpoint_signing_secrets(ep) for pk, ep in endpoints.items()}

    def send(delivery: WebhookDelivery) -> AttemptResult:
        url = endpoints[delivery.endpoint_id].url
        return attempt_send(
            delivery_id=delivery.pk,
            url=url,
            msg_id=delivery.msg_id,
            body=delivery.body,
            secrets_=secrets_[delivery.endpoint_id],
            client=connections.for_url(url),
        )

    results = list(pool.map(send, deliveries))
    return results_record(deliveries=deliveries, results=results)


def deliveries_send_due(
    *, worker: str | None = None, ids: list[int] | None = None, senders: int = SENDERS
) -> PassCounts:
    """Send every delivery due now (or only ``ids``), batch after batch, until none is left.

    Only what was due when the pass began is sent: a retry scheduled during the pass waits
    for the next one.
    """
    worker = worker or worker_name()
    due_before = timezone.now()
    counts = PassCounts()
    connections = _Connections()
    try:
        with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="webhook") as pool:
            while batch := deliveries_claim(
                worker=worker, limit=BATCH, due_before=due_before, ids=ids
            ):
                counts.add(_send_batch(pool, connections, batch))
    finally:
        connections.close()
    return counts


def webhooks_pass(*, worker: str | None = None) -> PassCounts:
    """Dispatch pending events, then send what is due (what ``deliver_webhooks`` runs)."""
    outbox_dispatch()
    return deliveries_send_due(worker=worker)
