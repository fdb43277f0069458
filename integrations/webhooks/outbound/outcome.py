"""What an attempt's result does: delivered, retry later (back-off), or given up; and the
endpoint's health (a failure streak of WEBHOOK_DISABLE_AFTER_DAYS, or a 410, disables it)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from integrations.webhooks.outbound.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from integrations.webhooks.outbound.notify import endpoint_disabled_notify
from integrations.webhooks.outbound.send import AttemptResult

# After the first attempt, wait this long before each retry (Svix's schedule): ~28 hours.
BACKOFF = (
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=10),
)
# The "send a test event" button's type: never retried, never counted against the endpoint.
TEST_EVENT_TYPE = "webhook.test"


@dataclass
class PassCounts:
    delivered: int = 0
    failed: int = 0
    retry_later: int = 0

    def add(self, other: PassCounts) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.retry_later += other.retry_later

    def as_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "failed": self.failed, "retry_later": self.retry_later}


def next_attempt_delay(attempts: int) -> dt.timedelta | None:
    """The wait before the next attempt after ``attempts`` failed ones; None = give up."""
    return BACKOFF[attempts - 1] if attempts <= len(BACKOFF) else None


def results_record(
    *, deliveries: list[WebhookDelivery], results: list[AttemptResult]
) -> PassCounts:
    """Write the attempts and move each delivery on, in one transaction.

    Deliveries with the same outcome are moved by one UPDATE (a batch of successes is one
    statement), not one per row.
    """
    counts = PassCounts()
    by_id = {d.pk: d for d in deliveries}
    now = timezone.now()
    health: dict[int, list[AttemptResult]] = defaultdict(list)
    moves: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for result in results:
        delivery = by_id[result.delivery_id]
        attempts = delivery.attempts + 1
        delay = next_attempt_delay(attempts)
        if result.succeeded:
            outcome: tuple[Any, ...] = (DeliveryStatus.DELIVERED, now, None)
            counts.delivered += 1
        elif delay is None or delivery.event_type == TEST_EVENT_TYPE:
            outcome = (DeliveryStatus.FAILED, now, None)
            counts.failed += 1
        else:
            outcome = (DeliveryStatus.PENDING, None, now + delay)
            counts.retry_later += 1
        moves[(*outcome, result.status_code, result.error)].append(delivery.pk)
        if delivery.event_type != TEST_EVENT_TYPE:
            health[delivery.endpoint_id].append(result)
    with transaction.atomic():
        WebhookAttempt.objects.bulk_create(
            WebhookAttempt(
                delivery_id=r.delivery_id,
                started_at=r.started_at,
                duration_ms=r.duration_ms,
                status_code=r.status_code,
                response_excerpt=r.response_excerpt,
                error=r.error,
            )
            for r in results
        )
        for (status, finished_at, next_at, code, error), ids in moves.items():
            change: dict[str, Any] = {
                "status": status,
                "finished_at": finished_at,
                "attempts": F("attempts") + 1,
                "last_status_code": code,
                "last_error": error,
                "claimed_at": None,
                "claimed_by": "",
            }
            if next_at is not None:
                change["next_attempt_at"] = next_at
            WebhookDelivery.objects.filter(pk__in=ids).update(**change)
        for endpoint_id, outcomes in health.items():
            _endpoint_health(endpoint_id, outcomes, now)
    return counts


def _endpoint_health(endpoint_id: int, outcomes: list[AttemptResult], now: dt.datetime) -> None:
    if any(r.succeeded for r in outcomes):
        WebhookEndpoint.objects.filter(pk=endpoint_id, failing_since__isnull=False).update(
            failing_since=None
        )
        return
    first_failure = min(r.started_at for r in outcomes)
    WebhookEndpoint.objects.filter(pk=endpoint_id, failing_since__isnull=True).update(
        failing_since=first_failure
    )
    endpoint = (
        WebhookEndpoint.objects.select_related("workspace", "created_by")
        .filter(pk=endpoint_id, enabled=True)
        .first()
    )
    if endpoint is None:
        return
    days = settings.WEBHOOK_DISABLE_AFTER_DAYS
    if any(r.gone for r in outcomes):
        endpoint_disable(endpoint=endpoint, reason="The receiver answered 410 Gone.", now=now)
    elif endpoint.failing_since and now - endpoint.failing_since >= dt.timedelta(days=days):
        last = outcomes[-1].error or "no answer"
        endpoint_disable(
            endpoint=endpoint,
            reason=f"Every delivery failed for {days} days (last: {last})"[:300],
            now=now,
        )


def endpoint_disable(
    *, endpoint: WebhookEndpoint, reason: str, now: dt.datetime | None = None, notify: bool = True
) -> None:
    """Stop sending to an endpoint: its pending deliveries fail (they can be replayed once it is
    enabled again) and its creator is told by email after commit."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
            enabled=False, disabled_reason=reason[:300], disabled_at=now, updated_at=now
        )
        if not changed:
            return
        endpoint.enabled, endpoint.disabled_reason, endpoint.disabled_at = False, reason, now
        WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED,
            finished_at=now,
            claimed_at=None,
            claimed_by="",
            last_error="The endpoint was disabled.",
        )
        if notify:
            transaction.on_commit(lambda: endpoint_disabled_notify(endpoint=endpoint))
