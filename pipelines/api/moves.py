"""Moving a lead to another stage: by its entry, or by the lead and a stage's name or kind."""

from __future__ import annotations

from ninja import Router

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import RecordId, errors
from crm.errors import ValidationFailed
from crm.selectors.leads import lead_get
from pipelines.models import PipelineEntry, Stage
from pipelines.schemas import EntryOut, LeadMoveIn, MoveIn
from pipelines.selectors.board import entry_get, entry_of_lead, pipeline_get, stage_get
from pipelines.selectors.stage_lookup import stage_named
from pipelines.services import entry_move, pipeline_create_default

router = Router(tags=["pipelines"])

_CONFLICTS = (
    "Without `expected_from_stage` the lead moves from wherever it is. With it, the answer is a "
    "409 saying where the lead is now only when it has moved elsewhere meanwhile; a lead "
    "already at the target stage is left as it is (a retried move is safe)."
)


def _stage(
    request: ApiRequest, entry: PipelineEntry, ref: str | None, ref_id: int | None, field: str
) -> Stage | None:
    if ref is not None and ref_id is not None:
        raise ValidationFailed.field(field, f"Give {field} or {field}_id, not both.")
    if ref_id is not None:
        return stage_get(workspace=request.workspace, stage_id=ref_id)
    if ref is not None:
        return stage_named(pipeline=entry.pipeline, ref=ref, field=field)
    return None


def _move(request: ApiRequest, entry: PipelineEntry, payload: MoveIn) -> PipelineEntry:
    to_stage = _stage(request, entry, payload.to_stage, payload.to_stage_id, "to_stage")
    if to_stage is None:
        raise ValidationFailed.field("to_stage", "Give to_stage (a name or kind) or to_stage_id.")
    expected = _stage(
        request,
        entry,
        payload.expected_from_stage,
        payload.expected_from_stage_id,
        "expected_from_stage",
    )
    entry_move(
        entry=entry,
        to_stage=to_stage,
        expected_from_stage=expected,
        actor=actor_of(request),
        reason=payload.reason.strip(),
    )
    return entry_get(workspace=request.workspace, entry_id=entry.pk)


@router.post(
    "/entries/{entry_id}/move",
    response={200: EntryOut, **errors(404, 409, 422)},
    summary="Move a pipeline entry to another stage",
    description="The stage by `to_stage` (name or kind) or `to_stage_id`. " + _CONFLICTS,
)
def entries_move(request: ApiRequest, entry_id: RecordId, payload: MoveIn):
    entry = entry_get(workspace=request.workspace, entry_id=entry_id)
    return _move(request, entry, payload)


@router.post(
    "/leads/{lead_id}/move",
    response={200: EntryOut, **errors(404, 409, 422)},
    summary="Move a lead to another stage",
    description="In the default pipeline, or `pipeline_id`; the stage by `to_stage` (name or "
    "kind, e.g. `Warm`) or `to_stage_id`. " + _CONFLICTS,
)
def lead_move(request: ApiRequest, lead_id: RecordId, payload: LeadMoveIn):
    ws = request.workspace
    lead = lead_get(workspace=ws, lead_id=lead_id)
    pipeline = (
        pipeline_get(workspace=ws, pipeline_id=payload.pipeline_id)
        if payload.pipeline_id
        else pipeline_create_default(workspace=ws)
    )
    return _move(request, entry_of_lead(pipeline=pipeline, lead=lead), payload)
