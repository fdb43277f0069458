"""Leasing due deliveries: a short transaction marks them, the HTTP calls happen after it.

No row lock is held while a receiver answers. A lease older than ``lease_timeout()`` (longer
than any attempt can take) is taken over by the next pass, so a worker killed mid-delivery
costs a redelivery with the same ``webhook-id``, never a lost message.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations.webhooks.outbound.models import DeliveryStatus, WebhookDelivery


def lease_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT + 45)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:40]


def _claimable(now: dt.datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease_timeout())


def deliveries_claim(
    *, worker: str, limit: int, due_before: dt.datetime, ids: list[int] | None = None
) -> list[WebhookDelivery]:
    """Lease up to ``limit`` pending deliveries due by ``due_before``; returns those leased.

    On PostgreSQL the candidates are locked with SKIP LOCKED for the length of this short
    transaction, so concurrent workers take different rows; everywhere the update repeats
    the claimable condition and the rows are read back by this claim's own token, so two
    workers never both own a row.
    """
    now = timezone.now()
    token = f"{worker}/{uuid.uuid4().hex[:16]}"
    pending = WebhookDelivery.objects.filter(
        _claimable(now),
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=due_before,
        endpoint__enabled=True,
    )
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    with transaction.atomic():
        candidates = list(
            pending.order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        WebhookDelivery.objects.filter(
            _claimable(now), pk__in=candidates, status=DeliveryStatus.PENDING
        ).update(claimed_at=now, claimed_by=token)
    return list(WebhookDelivery.objects.filter(pk__in=candidates, claimed_by=token).order_by("id"))
