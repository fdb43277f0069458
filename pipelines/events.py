"""The pipelines app's side of the event seam: the types it emits and what it reacts to.

Placement of new leads, the default pipeline of a new workspace and the catch-up rule live here
as subscriptions, so the core records never import this app.
"""

from __future__ import annotations

from crm.events import Occurrence, event_type_register, subscribe
from crm.events.examples import ACTOR_EXAMPLE, LEAD_EXAMPLE
from crm.models import Lead, Workspace
from pipelines.models import Stage
from pipelines.services import (
    entries_place_new_leads,
    pipeline_create_default,
    rule_conversation_logged,
)


def register() -> None:
    stage = {"id": 11, "name": "Cold", "kind": "cold"}
    event_type_register(
        "lead.stage_changed",
        description="A lead moved to another stage of a pipeline, by a person or a rule.",
        subject="lead",
        example={
            "lead": LEAD_EXAMPLE,
            "pipeline_id": 1,
            "from_stage": stage,
            "to_stage": {"id": 12, "name": "Engaged", "kind": "engaged"},
            "reason": "Engagement logged",
            "actor": ACTOR_EXAMPLE,
        },
    )
    event_type_register(
        "engagement.logged",
        description="A like, comment, connection or DM with a lead was logged.",
        subject="lead",
        example={
            "lead": LEAD_EXAMPLE,
            "engagement": {"kind": "liked", "body": "", "post_id": 77, "activity_id": 902},
            "actor": ACTOR_EXAMPLE,
        },
    )
    subscribe("workspace.created", give_default_pipeline, in_transaction=True)
    subscribe("lead.created", place_new_leads, in_transaction=True)
    subscribe("activity.logged", count_conversation, in_transaction=True)


def give_default_pipeline(occurrence: Occurrence) -> None:
    pipeline_create_default(workspace=Workspace.objects.get(pk=occurrence.workspace_id))


def place_new_leads(occurrence: Occurrence) -> None:
    """New leads start at the default pipeline's Cold stage, or the stage their import chose."""
    if not occurrence.hints.get("place_in_pipeline", True):
        return
    stage_id = occurrence.hints.get("stage_id")
    stage = Stage.objects.select_related("pipeline").get(pk=stage_id) if stage_id else None
    entries_place_new_leads(
        workspace=Workspace.objects.get(pk=occurrence.workspace_id),
        lead_ids=occurrence.subject_ids,
        stage=stage,
        actor=occurrence.actor,
    )


def count_conversation(occurrence: Occurrence) -> None:
    """A conversation logged with a customer moves them to the next Catch-up stage."""
    if not occurrence.data.get("activity", {}).get("catch_up"):
        return
    lead = Lead.objects.select_related("workspace").get(pk=occurrence.subject_ids[0])
    rule_conversation_logged(lead=lead, actor=occurrence.actor)
