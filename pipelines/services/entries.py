"""A lead's place in a pipeline: moving it (compare-and-set) and valuing the deal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.events import event_record, events_record_batch
from crm.models import ActivityKind, Lead, Membership
from crm.services.activities import activities_record_many, activity_record
from pipelines.models import PipelineEntry, Stage, StageChange, StageKind
from pipelines.services.history import close_previous_change, record_change
from pipelines.services.settings import pipeline_settings_get


def entry_update(*, entry: PipelineEntry, data: dict[str, Any]) -> PipelineEntry:
    """Set the deal value (minor units + ISO currency), probability override or owner.

    A value given without a currency is in the workspace's default currency.
    """
    errors: dict[str, list[str]] = {}
    if "value_minor" in data and not data.get("currency"):
        default = pipeline_settings_get(workspace=entry.workspace).default_currency
        data = {**data, "currency": default}
    if "value_minor" in data:
        value = data["value_minor"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors["value_minor"] = ["A whole, non-negative amount in minor units (cents)."]
        else:
            entry.value_minor = value
    if "currency" in data:
        code = str(data["currency"] or "").strip().upper()
        if len(code) != 3 or not code.isalpha():
            errors["currency"] = ["A three-letter ISO 4217 code, e.g. EUR."]
        else:
            entry.currency = code
    if "probability" in data:
        p = data["probability"]
        if p is not None and (not isinstance(p, int) or not 0 <= p <= 100):
            errors["probability"] = ["A whole number from 0 to 100, or null for the stage's."]
        else:
            entry.probability = p
    if "owner_id" in data:
        owner_id = data["owner_id"]
        if (
            owner_id is not None
            and not Membership.objects.filter(
                workspace_id=entry.workspace_id, user_id=owner_id
            ).exists()
        ):
            errors["owner_id"] = ["The owner must be a member of this workspace."]
        else:
            entry.owner_id = owner_id
    if errors:
        raise ValidationFailed("Invalid deal.", errors=errors)
    entry.save(update_fields=["value_minor", "currency", "probability", "owner"])
    return entry


def _catch_up_fields(to_stage: Stage, from_kind: str, now: Any) -> dict[str, Any]:
    """What a move into a customer stage says about the catch-up count."""
    if to_stage.kind == StageKind.CUSTOMER and from_kind not in (StageKind.CATCH_UP,):
        return {"catch_up_count": 0, "last_conversation_at": now}
    if to_stage.kind == StageKind.CATCH_UP:
        number = Stage.objects.filter(
            pipeline_id=to_stage.pipeline_id,
            kind=StageKind.CATCH_UP,
            position__lte=to_stage.position,
        ).count()
        return {"catch_up_count": number}
    return {}


def entry_move(
    *,
    entry: PipelineEntry,
    to_stage: Stage,
    expected_from_stage: Stage | None = None,
    actor: Actor,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> PipelineEntry:
    """Move a lead to another stage, if it is still where the mover saw it.

    ``expected_from_stage`` is where the mover saw the lead; without it the lead moves from
    wherever it is. A compare-and-set ``UPDATE … WHERE stage = current``: when someone else
    moved the lead elsewhere first, nothing changes and a Conflict says where it is now. A lead
    already at ``to_stage`` is no conflict (a retried move): nothing changes and no history is
    written. The StageChange, the timeline entry and the rule it may trigger (Catch-up 4 → ask
    for referrals) share the transaction.
    """
    if to_stage.pipeline_id != entry.pipeline_id:
        raise ValidationFailed.field("to_stage_id", "No such stage in this pipeline.")
    if expected_from_stage is not None and expected_from_stage.pipeline_id != entry.pipeline_id:
        raise ValidationFailed.field("expected_from_stage_id", "No such stage in this pipeline.")
    now = timezone.now()
    with transaction.atomic():
        current = (
            PipelineEntry.objects.filter(pk=entry.pk).values_list("stage_id", "entered_at").first()
        )
        if current is None:
            raise NotFound("This lead is no longer in the pipeline.")
        stage_id, seen = current
        if stage_id == to_stage.pk:
            entry.refresh_from_db()
            return entry
        if expected_from_stage is not None and stage_id != expected_from_stage.pk:
            raise _moved_meanwhile(stage_id, expected_from_stage)
        from_stage = (
            expected_from_stage
            if expected_from_stage is not None
            else Stage.objects.get(pk=stage_id)
        )
        fields: dict[str, Any] = {"stage_id": to_stage.pk, "entered_at": now}
        fields.update(_catch_up_fields(to_stage, from_stage.kind, now))
        fields.update(extra or {})
        updated = PipelineEntry.objects.filter(
            pk=entry.pk, stage_id=stage_id, entered_at=seen
        ).update(**fields)
        if not updated:
            # Moved by someone else between the read and the write.
            now_at = PipelineEntry.objects.filter(pk=entry.pk).values_list("stage_id", flat=True)
            raise _moved_meanwhile(now_at.first(), from_stage)
        seconds = int((now - seen).total_seconds())
        close_previous_change(entry, from_stage, to_stage)
        for field, value in fields.items():
            setattr(entry, field, value)
        entry.stage = to_stage
        record_change(entry, from_stage, to_stage, actor, reason, seconds, now)
        activity_record(
            lead=entry.lead,
            kind=ActivityKind.STAGE_CHANGED,
            actor=actor,
            body=f"{from_stage} → {to_stage}" + (f": {reason}" if reason else ""),
            payload={
                "pipeline_id": entry.pipeline_id,
                "entry_id": entry.pk,
                "from_stage_id": from_stage.pk,
                "from": from_stage.name,
                "to_stage_id": to_stage.pk,
                "to": to_stage.name,
                "reason": reason,
            },
        )
        event_record(
            type="lead.stage_changed",
            workspace_id=entry.workspace_id,
            actor=actor,
            subject_id=entry.lead_id,
            data=stage_change_data(entry.pipeline_id, from_stage, to_stage, reason),
        )
        from pipelines.services.rules import after_move

        after_move(entry=entry, to_stage=to_stage, actor=actor)
    return entry


def _moved_meanwhile(stage_id: int | None, expected: Stage) -> Conflict:
    now_at = Stage.objects.filter(pk=stage_id).first() if stage_id else None
    where = str(now_at) if now_at else "another stage"
    return Conflict(
        f"Someone else moved this lead first: it is now at {where}, not {expected}.",
        errors={"expected_from_stage_id": [f"The lead is now at {where}."]},
    )


def entries_move_all(*, from_stage: Stage, to_stage: Stage, actor: Actor, reason: str) -> int:
    """Move every entry of a stage at once (removing a stage): set-based, history included."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            PipelineEntry.objects.filter(stage=from_stage)
            .select_for_update()
            .values_list("pk", "entered_at", "lead_id")
        )
        PipelineEntry.objects.filter(pk__in=[r[0] for r in rows]).update(
            stage=to_stage, entered_at=now
        )
        StageChange.objects.bulk_create(
            [
                StageChange(
                    workspace_id=from_stage.pipeline.workspace_id,
                    pipeline_id=from_stage.pipeline_id,
                    entry_id=pk,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    seconds_in_from_stage=int((now - entered).total_seconds()),
                    actor_type=actor.type,
                    actor_user_id=actor.user_id,
                    actor_name=actor.name[:80],
                    reason=reason[:300],
                    created_at=now,
                )
                for pk, entered, _ in rows
            ],
            batch_size=1_000,
        )
        leads = list(Lead.objects.filter(pk__in=[r[2] for r in rows]))
        activities_record_many(
            leads=leads,
            kind=ActivityKind.STAGE_CHANGED,
            actor=actor,
            payload={"from": from_stage.name, "to": to_stage.name, "reason": reason},
        )
        events_record_batch(
            type="lead.stage_changed",
            workspace_id=from_stage.pipeline.workspace_id,
            actor=actor,
            subject_ids=[lead.pk for lead in leads],
            data=stage_change_data(from_stage.pipeline_id, from_stage, to_stage, reason),
        )
    return len(rows)


def stage_change_data(
    pipeline_id: int, from_stage: Stage | None, to_stage: Stage, reason: str
) -> dict[str, Any]:
    """The own fields of a ``lead.stage_changed`` event."""

    def ref(stage: Stage | None) -> dict[str, Any] | None:
        if stage is None:
            return None
        return {"id": stage.pk, "name": stage.name, "kind": stage.kind}

    return {
        "pipeline_id": pipeline_id,
        "from_stage": ref(from_stage),
        "to_stage": ref(to_stage),
        "reason": reason,
    }
