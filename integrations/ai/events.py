"""The AI personalization's event type: a person approved a draft into an enrollment's slots."""

from __future__ import annotations

from crm.actors import Actor
from crm.events import event_record, event_type_register
from crm.events.examples import ACTOR_EXAMPLE
from integrations.ai.models import SlotDraft


def register() -> None:
    event_type_register(
        "personalization.approved",
        description="A person approved an AI draft; its values filled the enrollment's slots.",
        subject="draft",
        example={
            "draft": {
                "id": 12,
                "enrollment_id": 340,
                "sequence_id": 7,
                "lead_id": 5012,
                "slots_written": ["slot1", "slot2"],
                "edited": False,
                "source_ids": [2, 5],
            },
            "actor": ACTOR_EXAMPLE,
        },
    )


def personalization_approved_record(
    *, draft: SlotDraft, actor: Actor, written: list[str], edited: bool
) -> None:
    """Record ``personalization.approved`` inside the approval's transaction."""
    event_record(
        type="personalization.approved",
        workspace_id=draft.workspace_id,
        actor=actor,
        subject_id=draft.pk,
        subject={
            "id": draft.pk,
            "enrollment_id": draft.enrollment_id,
            "sequence_id": draft.enrollment.sequence_id,
            "lead_id": draft.enrollment.lead_id,
            "slots_written": written,
            "edited": edited,
            "source_ids": draft.source_ids,
        },
    )
