"""Sending again: one delivery, every failed one in a time range, or a test event."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from crm.errors import Conflict
from integrations.webhooks.outbound.fanout import message_body
from integrations.webhooks.outbound.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.webhooks.outbound.outcome import TEST_EVENT_TYPE


def _require_enabled(endpoint: WebhookEndpoint) -> None:
    if not endpoint.enabled:
        raise Conflict("The endpoint is disabled; enable it before sending to it.")


def delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue a delivery again now, with a fresh retry schedule and the same ``webhook-id``."""
    _require_enabled(delivery.endpoint)
    if delivery.status == DeliveryStatus.PENDING:
        raise Conflict("This delivery is still being tried.")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.finished_at = None
    delivery.claimed_at, delivery.claimed_by = None, ""
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "finished_at",
            "claimed_at",
            "claimed_by",
        ]
    )
    return delivery


def deliveries_replay_failed(
    *,
    endpoint: WebhookEndpoint,
    since: dt.datetime,
    until: dt.datetime | None = None,
) -> int:
    """Queue again every failed delivery of an endpoint created in ``[since, until)``."""
    _require_enabled(endpoint)
    failed = WebhookDelivery.objects.filter(
        endpoint=endpoint, status=DeliveryStatus.FAILED, created_at__gte=since
    ).exclude(event_type=TEST_EVENT_TYPE)
    if until is not None:
        failed = failed.filter(created_at__lt=until)
    return failed.update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        finished_at=None,
        claimed_at=None,
        claimed_by="",
    )


def endpoint_send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` message to check the receiver and its signature check (sent once)."""
    _require_enabled(endpoint)
    now = timezone.now()
    data = {
        "message": "A test event from Kindling: the receiver and its secret work.",
        "endpoint_id": endpoint.pk,
    }
    with transaction.atomic():
        return WebhookDelivery.objects.create(
            workspace_id=endpoint.workspace_id,
            endpoint=endpoint,
            event_type=TEST_EVENT_TYPE,
            msg_id=f"msg_test_{secrets.token_hex(8)}",
            body=message_body(event_type=TEST_EVENT_TYPE, occurred_at=now, data=data),
            next_attempt_at=now,
            created_at=now,
        )
