from __future__ import annotations

from typing import Any

from django.db import transaction

from crm.actors import Actor
from crm.errors import ValidationFailed
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


def note_add(*, lead: Lead, body: str, actor: Actor, catch_up: bool = False) -> Activity:
    """A free-text note on the lead's timeline.

    ``catch_up`` marks the note as a conversation with a customer: the catch-up rule counts it
    and moves a customer to the next Catch-up stage, in the same transaction.
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
        if catch_up:
            # Imported here: the pipelines app is built on this one.
            from pipelines.services import rule_conversation_logged

            rule_conversation_logged(lead=lead, actor=actor)
    return activity
