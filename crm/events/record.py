"""Recording events: one row in the changing transaction, then the in-process subscribers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from crm.actors import Actor
from crm.events.bus import Occurrence, publish
from crm.events.subjects import subjects_build
from crm.events.types import event_type_get
from crm.models import Event


def actor_payload(actor: Actor) -> dict[str, Any]:
    return {"type": actor.type, "user_id": actor.user_id, "name": actor.name or None}


def event_record(
    *,
    type: str,
    workspace_id: int,
    actor: Actor,
    subject_id: int | None = None,
    subject: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    origin: str = "",
    hints: Mapping[str, Any] | None = None,
    snapshot: bool = True,
) -> Event:
    """Record that ``type`` happened to one subject; call it inside the change's transaction.

    ``subject`` is the record as the API returns it; when omitted it is built from
    ``subject_id`` now, so the event shows the record as it was (a deleted lead's last state).
    Hot paths (sending) pass ``snapshot=False``: the subject is then built when the event is
    delivered, like a batch event's. ``data`` holds the event's own fields (a stage change's
    from and to stages…).
    """
    kind = event_type_get(type)
    ids = [subject_id] if subject_id is not None else []
    if subject is None and subject_id is not None and snapshot:
        subject = subjects_build(kind.subject, workspace_id=workspace_id, ids=ids).get(subject_id)
    payload: dict[str, Any] = {}
    if subject is not None:
        payload[kind.subject] = dict(subject)
    payload.update(data or {})
    return _store_and_publish(type, kind.subject, workspace_id, actor, ids, payload, origin, hints)


def events_record_batch(
    *,
    type: str,
    workspace_id: int,
    actor: Actor,
    subject_ids: Sequence[int],
    data: Mapping[str, Any] | None = None,
    origin: str = "",
    hints: Mapping[str, Any] | None = None,
) -> Event | None:
    """Record that ``type`` happened to many subjects at once (an import's chunk): one row.

    The subjects are built when the event is delivered, one delivery per subject, so a chunk of
    10,000 new leads costs one insert here.
    """
    ids = [int(i) for i in subject_ids]
    if not ids:
        return None
    kind = event_type_get(type)
    payload = dict(data or {})
    return _store_and_publish(type, kind.subject, workspace_id, actor, ids, payload, origin, hints)


def _store_and_publish(
    type: str,
    subject_type: str,
    workspace_id: int,
    actor: Actor,
    ids: list[int],
    payload: dict[str, Any],
    origin: str,
    hints: Mapping[str, Any] | None,
) -> Event:
    payload.setdefault("actor", actor_payload(actor))
    event = Event.objects.create(
        workspace_id=workspace_id,
        type=type,
        subject_type=subject_type,
        subject_ids=ids,
        payload=payload,
        origin=origin,
        occurred_at=timezone.now(),
    )
    publish(
        Occurrence(
            type=type,
            workspace_id=workspace_id,
            subject_ids=tuple(ids),
            data=payload,
            actor=actor,
            origin=origin,
            event_id=event.pk,
            hints=dict(hints or {}),
        )
    )
    return event


@dataclass(frozen=True)
class EventItem:
    """One subject's event in ``events_record_each``."""

    workspace_id: int
    subject_id: int
    data: Mapping[str, Any]
    subject: Mapping[str, Any] | None = None


def events_record_each(
    *, type: str, actor: Actor, items: Sequence[EventItem], origin: str = ""
) -> list[Event]:
    """Record one event per item in one insert (a feed refresh's new posts, each with its own
    data); the subject is snapshotted from ``item.subject`` when given, else built at delivery.
    """
    if not items:
        return []
    kind = event_type_get(type)
    now = timezone.now()
    rows = []
    for item in items:
        payload: dict[str, Any] = {}
        if item.subject is not None:
            payload[kind.subject] = dict(item.subject)
        payload.update(item.data)
        payload.setdefault("actor", actor_payload(actor))
        rows.append(
            Event(
                workspace_id=item.workspace_id,
                type=type,
                subject_type=kind.subject,
                subject_ids=[item.subject_id],
                payload=payload,
                origin=origin,
                occurred_at=now,
            )
        )
    events = Event.objects.bulk_create(rows, batch_size=500)
    for event in events:
        publish(
            Occurrence(
                type=type,
                workspace_id=event.workspace_id,
                subject_ids=tuple(event.subject_ids),
                data=event.payload,
                actor=actor,
                origin=origin,
                event_id=event.pk,
            )
        )
    return events
