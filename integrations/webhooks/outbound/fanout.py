"""The outbox's dispatcher: each pending event becomes one delivery per listening endpoint.

A batch event (an import's chunk) becomes one message per subject, built now as the API
returns it, with its own ``webhook-id`` (``evt_<event>_<subject>``). Events are taken with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers share the backlog; the deliveries
and the event's ``dispatched_at`` commit together, and a unique (endpoint, msg_id) makes a
repeated dispatch harmless.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from crm.events.subjects import subjects_build
from crm.models import Event
from integrations.webhooks.outbound.models import WebhookDelivery, WebhookEndpoint

FANOUT_EVENTS = 200


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def message_body(*, event_type: str, occurred_at: dt.datetime, data: dict[str, Any]) -> str:
    """The JSON every receiver gets: ``{"type", "timestamp", "data"}``."""
    return json.dumps(
        {"type": event_type, "timestamp": iso_utc(occurred_at), "data": data},
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def event_messages(event: Event) -> Iterator[tuple[str, str]]:
    """``(msg_id, body)`` of each message an event makes: one, or one per subject of a batch."""
    ids = [int(i) for i in event.subject_ids or []]
    key = event.subject_type
    payload = dict(event.payload or {})
    missing = [i for i in ids if len(ids) > 1 or key not in payload]
    subjects = subjects_build(key, workspace_id=event.workspace_id, ids=missing) if key else {}
    if len(ids) <= 1:
        if ids and ids[0] in subjects:
            payload = {key: subjects[ids[0]], **payload}
        yield (
            event.public_id,
            message_body(event_type=event.type, occurred_at=event.occurred_at, data=payload),
        )
        return
    for subject_id in ids:
        subject = subjects.get(subject_id)
        if subject is None:  # deleted since: its own lead.deleted event tells the receiver
            continue
        yield (
            f"{event.public_id}_{subject_id}",
            message_body(
                event_type=event.type,
                occurred_at=event.occurred_at,
                data={key: subject, **payload},
            ),
        )


def events_fan_out(*, limit: int = FANOUT_EVENTS) -> int:
    """Dispatch up to ``limit`` pending events; returns how many were taken (0 = none left)."""
    now = timezone.now()
    with transaction.atomic():
        events = list(
            Event.objects.filter(dispatched_at__isnull=True)
            .order_by("id")
            .select_for_update(skip_locked=True)[:limit]
        )
        if not events:
            return 0
        listeners: dict[int, list[WebhookEndpoint]] = defaultdict(list)
        for endpoint in WebhookEndpoint.objects.filter(
            workspace_id__in={e.workspace_id for e in events}, enabled=True
        ).defer("secret", "previous_secret"):
            listeners[endpoint.workspace_id].append(endpoint)
        rows: list[WebhookDelivery] = []
        for event in events:
            targets = [
                endpoint
                for endpoint in listeners[event.workspace_id]
                if endpoint.listens_to(event.type, origin=event.origin)
            ]
            if not targets:
                continue
            for msg_id, body in event_messages(event):
                rows.extend(
                    WebhookDelivery(
                        workspace_id=event.workspace_id,
                        endpoint=endpoint,
                        event_id=event.pk,
                        event_type=event.type,
                        msg_id=msg_id,
                        body=body,
                        next_attempt_at=now,
                        created_at=now,
                    )
                    for endpoint in targets
                )
        WebhookDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        Event.objects.filter(pk__in=[e.pk for e in events]).update(dispatched_at=now)
    return len(events)
