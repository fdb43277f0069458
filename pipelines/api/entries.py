"""/entries: a lead's place in a pipeline, its deal value and the history of its moves."""

from __future__ import annotations

from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import RecordId, errors
from crm.selectors.leads import lead_get
from pipelines.schemas import EntryIn, EntryOut, EntryPatch, StageChangeOut
from pipelines.selectors.board import entry_get, entry_history, pipeline_get, stage_get
from pipelines.services import entry_place, entry_update

router = Router(tags=["pipelines"])


@router.post(
    "/pipelines/{pipeline_id}/entries",
    response={201: EntryOut, **errors(404, 409, 422)},
    summary="Add a lead to a pipeline",
    description="At `stage_id`, else the first Cold stage. A lead already there is a 409.",
)
def entries_create(request: ApiRequest, pipeline_id: RecordId, payload: EntryIn):
    ws = request.workspace
    pipeline = pipeline_get(workspace=ws, pipeline_id=pipeline_id)
    lead = lead_get(workspace=ws, lead_id=payload.lead_id)
    stage = stage_get(workspace=ws, stage_id=payload.stage_id) if payload.stage_id else None
    entry = entry_place(pipeline=pipeline, lead=lead, stage=stage, actor=actor_of(request))
    return Status(201, entry_get(workspace=ws, entry_id=entry.pk))


@router.get("/entries/{entry_id}", response={200: EntryOut, **errors(404)}, summary="Get an entry")
def entries_get(request: ApiRequest, entry_id: RecordId):
    return entry_get(workspace=request.workspace, entry_id=entry_id)


@router.patch(
    "/entries/{entry_id}",
    response={200: EntryOut, **errors(404, 422)},
    summary="Set the deal value, probability or owner",
    description="`value_minor` is in minor units (cents) of `currency` (ISO 4217).",
)
def entries_patch(request: ApiRequest, entry_id: RecordId, payload: EntryPatch):
    entry = entry_get(workspace=request.workspace, entry_id=entry_id)
    return entry_update(entry=entry, data=payload.dict(exclude_unset=True))


@router.get(
    "/entries/{entry_id}/history",
    response={200: list[StageChangeOut], **errors(404)},
    summary="Stage history of an entry",
    description="Newest first: who (user, rule, integration) moved it, from where, to where, why.",
)
def entries_history(request: ApiRequest, entry_id: RecordId):
    entry = entry_get(workspace=request.workspace, entry_id=entry_id)
    return entry_history(entry=entry)
