from __future__ import annotations

from typing import Any

from django.db import transaction

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.events import event_record
from crm.models import Activity, ActivityKind, Lead


def activity_record(
    *,
    lead: Lead,
    kind: str,
    actor: Actor,
    body: str = "",
    payload: dict[str, Any] | None = None,
) -> Activity:
    """Append one entry to a lead's timeline.

    Call it inside the transaction of the change it records, so the timeline never shows a change
    that did not happen nor misses one that did.
    """
    data = dict(payload or {})
    if actor.name:
        data.setdefault("actor_name", actor.name)
    return Activity.objects.create(
        workspace_id=lead.workspace_id,
        lead=lead,
        kind=kind,
        actor_type=actor.type,
        actor_user=actor.user,
        body=body,
        payload=data,
    )


def activities_record_many(
    *, leads: list[Lead], kind: str, actor: Actor, payload: dict[str, Any] | None = None
) -> None:
    """The same timeline entry on many leads at once (bulk list or tag changes)."""
    data = dict(payload or {})
    if actor.name:
        data.setdefault("actor_name", actor.name)
    Activity.objects.bulk_create(
        [
            Activity(
                workspace_id=lead.workspace_id,
                lead=lead,
                kind=kind,
                actor_type=actor.type,
                actor_user=actor.user,
                payload=data,
            )
            for lead in leads
        ],
        batch_size=500,
    )


def activity_logged(*, activity: Activity, actor: Actor) -> None:
    """Record ``activity.logged`` for a note, call or meeting a person put on the timeline.

    Reactions subscribe to it: a conversation with a customer (``catch_up``) moves them to the
    next Catch-up stage, in the same transaction.
    """
    event_record(
        type="activity.logged",
        workspace_id=activity.workspace_id,
        actor=actor,
        subject_id=activity.lead_id,
        data={
            "activity": {
                "id": activity.pk,
                "kind": activity.kind,
                "body": activity.body,
                "catch_up": bool(activity.payload.get("catch_up")),
                "created_at": activity.created_at.isoformat().replace("+00:00", "Z"),
            }
        },
    )


def note_add(*, lead: Lead, body: str, actor: Actor, catch_up: bool = False) -> Activity:
    """A free-text note on the lead's timeline.

    ``catch_up`` marks the note as a conversation with a customer: the catch-up rule (a
    subscriber of ``activity.logged``) counts it and moves a customer to the next Catch-up
    stage, in the same transaction.
    """
    text = body.strip()
    if not text:
        raise ValidationFailed.field("body", "A note cannot be empty.")
    if len(text) > 10_000:
        raise ValidationFailed.field("body", "A note can be at most 10,000 characters.")
    with transaction.atomic():
        activity = activity_record(
            lead=lead,
            kind=ActivityKind.NOTE,
            actor=actor,
            body=text,
            payload={"catch_up": catch_up},
        )
        activity_logged(activity=activity, actor=actor)
    return activity
