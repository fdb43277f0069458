"""The integrations app's event types: imports that finish and customers who pay."""

from __future__ import annotations

from crm.actors import Actor
from crm.events import event_record, event_type_register
from crm.events.examples import ACTOR_EXAMPLE, LEAD_EXAMPLE
from integrations.ai import events as ai_events
from integrations.models import ImportJob

IMPORT_EXAMPLE = {
    "id": 31,
    "file": "apollo-export.csv",
    "status": "done",
    "created": 9_870,
    "updated": 12,
    "duplicates": 104,
    "failed": 14,
    "list_id": 2,
    "finished_at": "2026-12-01T09:31:12Z",
}


def register() -> None:
    ai_events.register()
    event_type_register(
        "import.finished",
        description="A CSV/Excel import finished; its counts say what it did.",
        subject="import",
        example={"import": IMPORT_EXAMPLE, "actor": ACTOR_EXAMPLE},
    )
    event_type_register(
        "customer.paid",
        description="A payment (Stripe) was matched to a lead, who becomes a customer.",
        subject="lead",
        example={
            "lead": LEAD_EXAMPLE,
            "payment": {
                "provider": "stripe",
                "event_id": "evt_1QxY",
                "amount_minor": 49_00,
                "currency": "EUR",
            },
            "actor": {"type": "integration", "user_id": None, "name": "Stripe"},
        },
    )


def import_finished_record(*, job: ImportJob, actor: Actor) -> None:
    """Record ``import.finished`` for a job that just reached Done (inside that transaction)."""
    finished = job.finished_at.isoformat().replace("+00:00", "Z") if job.finished_at else None
    event_record(
        type="import.finished",
        workspace_id=job.workspace_id,
        actor=actor,
        subject_id=job.pk,
        subject={
            "id": job.pk,
            "file": job.file_name,
            "status": job.status,
            "created": job.created,
            "updated": job.updated,
            "duplicates": job.duplicates,
            "failed": job.failed,
            "list_id": job.lead_list_id,
            "finished_at": finished,
        },
    )
