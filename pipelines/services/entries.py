"""A lead's place in a pipeline: moving it (compare-and-set) and valuing the deal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.models import ActivityKind, Lead, Membership
from crm.services.activities import activities_record_many, activity_record
from pipelines.models import PipelineEntry, Stage, StageChange, StageKind
from pipelines.services.history import close_previous_change, record_change


def entry_update(*, entry: PipelineEntry, data: dict[str, Any]) -> PipelineEntry:
    """Set the deal value (minor units + ISO currency), probability override or owner."""
    errors: dict[str, list[str]] = {}
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
    expected_from_stage: Stage,
    actor: Actor,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> PipelineEntry:
    """Move a lead to another stage, if it is still where the mover saw it.

    A compare-and-set ``UPDATE … WHERE stage = expected``: when someone else moved the lead
    first, nothing changes and a Conflict says where it is now. The StageChange, the timeline
    entry and the rule it may trigger (Catch-up 4 → ask for referrals) share the transaction.
    """
    if (
        to_stage.pipeline_id != entry.pipeline_id
        or expected_from_stage.pipeline_id != entry.pipeline_id
    ):
        raise ValidationFailed.field("to_stage_id", "No such stage in this pipeline.")
    if to_stage.pk == expected_from_stage.pk:
        raise ValidationFailed.field("to_stage_id", "The lead is already at this stage.")
    now = timezone.now()
    with transaction.atomic():
        seen = (
            PipelineEntry.objects.filter(pk=entry.pk, stage_id=expected_from_stage.pk)
            .values_list("entered_at", flat=True)
            .first()
        )
        fields: dict[str, Any] = {"stage_id": to_stage.pk, "entered_at": now}
        fields.update(_catch_up_fields(to_stage, expected_from_stage.kind, now))
        fields.update(extra or {})
        updated = (
            0
            if seen is None
            else PipelineEntry.objects.filter(
                pk=entry.pk, stage_id=expected_from_stage.pk, entered_at=seen
            ).update(**fields)
        )
        if not updated or seen is None:
            now_at = Stage.objects.filter(entries__pk=entry.pk).first()
            raise Conflict(
                f"Someone else moved this lead first: it is now at {now_at or 'another stage'}, "
                f"not {expected_from_stage}.",
                errors={"expected_from_stage_id": [f"The lead is now at {now_at}."]},
            )
        seconds = int((now - seen).total_seconds())
        close_previous_change(entry, expected_from_stage, to_stage)
        for field, value in fields.items():
            setattr(entry, field, value)
        entry.stage = to_stage
        record_change(entry, expected_from_stage, to_stage, actor, reason, seconds, now)
        activity_record(
            lead=entry.lead,
            kind=ActivityKind.STAGE_CHANGED,
            actor=actor,
            body=f"{expected_from_stage} → {to_stage}" + (f": {reason}" if reason else ""),
            payload={
                "pipeline_id": entry.pipeline_id,
                "entry_id": entry.pk,
                "from_stage_id": expected_from_stage.pk,
                "from": expected_from_stage.name,
                "to_stage_id": to_stage.pk,
                "to": to_stage.name,
                "reason": reason,
            },
        )
        from pipelines.services.rules import after_move

        after_move(entry=entry, to_stage=to_stage, actor=actor)
    return entry


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
    return len(rows)
