"""The event types the core records emit, with the example each shows in the API docs."""

from __future__ import annotations

from crm.events.examples import ACTOR_EXAMPLE, LEAD_EXAMPLE
from crm.events.subjects import subject_builder_register
from crm.events.types import event_type_register


def _lead(**extra: object) -> dict[str, object]:
    return {"lead": LEAD_EXAMPLE, **extra, "actor": ACTOR_EXAMPLE}


def register() -> None:
    # Imported at start-up, not with this module: the API schemas load every app's router.
    from crm.events.lead_subject import leads_as_api

    subject_builder_register("lead", leads_as_api)
    event_type_register(
        "workspace.created",
        description="A workspace was created (its owner and default pipeline exist).",
        subject="workspace",
        example={
            "workspace": {"id": 1, "slug": "acme", "name": "Acme"},
            "owner_id": 7,
            "actor": ACTOR_EXAMPLE,
        },
    )
    event_type_register(
        "lead.created",
        description="A lead was created, from any door: UI, API, import, inbound URL, referral.",
        subject="lead",
        example=_lead(),
    )
    event_type_register(
        "lead.updated",
        description="Fields of a lead changed; `fields` names them.",
        subject="lead",
        example=_lead(fields=["title", "city"]),
    )
    event_type_register(
        "lead.deleted",
        description="A lead was deleted; `lead` is its last state.",
        subject="lead",
        example=_lead(),
    )
    list_ref = {"id": 2, "name": "Dream 100", "kind": "dream_100"}
    event_type_register(
        "list.lead_added",
        description="A lead was added to a list.",
        subject="lead",
        example=_lead(list=list_ref),
    )
    event_type_register(
        "list.lead_removed",
        description="A lead was taken out of a list.",
        subject="lead",
        example=_lead(list=list_ref),
    )
    event_type_register(
        "activity.logged",
        description="A person logged a note, call or meeting on a lead's timeline.",
        subject="lead",
        example=_lead(
            activity={
                "id": 901,
                "kind": "note",
                "body": "Talked about the Q1 roll-out.",
                "catch_up": True,
                "created_at": "2026-12-01T10:00:00Z",
            }
        ),
    )
