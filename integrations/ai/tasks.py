"""The Celery side of AI drafts: a run for many enrollments goes to the "ai" queue."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from crm.models import Workspace
from integrations.ai.drafting import slot_drafts_generate
from integrations.ai.selectors import sequence_get


@shared_task(name="integrations.ai_generate", acks_late=True)
def ai_generate_task(
    workspace_id: int, sequence_id: int, enrollment_ids: list[int] | None = None
) -> dict[str, object]:
    workspace = Workspace.objects.get(pk=workspace_id)
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    report = slot_drafts_generate(
        workspace=workspace, sequence=sequence, enrollment_ids=enrollment_ids
    )
    return report.as_dict()


def ai_generate_enqueue(
    *, workspace: Workspace, sequence_id: int, enrollment_ids: list[int] | None
) -> None:
    """Queue a run once the caller's transaction commits (the ids are then visible)."""
    transaction.on_commit(
        lambda: ai_generate_task.apply_async(
            args=[workspace.pk, sequence_id, enrollment_ids], queue="ai"
        )
    )
