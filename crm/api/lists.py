"""/lists: named lead lists (prospecting, dream 100, target accounts …) and their members."""

from __future__ import annotations

from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import BulkChangeOut, LeadIdsIn, errors
from crm.api.schemas.lists import ListIn, ListOut, ListPatch
from crm.selectors.records import list_get, lists_all
from crm.services.lists import (
    list_add_leads,
    list_create,
    list_delete,
    list_remove_leads,
    list_update,
)

router = Router(tags=["lists"])


@router.get("/lists", response={200: list[ListOut], **errors()}, summary="List lead lists")
def lists_view(request: ApiRequest):
    return lists_all(workspace=request.workspace)


@router.post(
    "/lists",
    response={201: ListOut, **errors(400, 409, 422)},
    summary="Create a lead list",
    description="A name already used (in any case) is a 409.",
)
def list_create_view(request: ApiRequest, payload: ListIn):
    lead_list = list_create(
        workspace=request.workspace,
        data=payload.dict(exclude_unset=True),
    )
    return Status(201, lead_list)


@router.get("/lists/{list_id}", response={200: ListOut, **errors(404)}, summary="Get a lead list")
def list_detail(request: ApiRequest, list_id: int):
    return list_get(workspace=request.workspace, list_id=list_id)


@router.patch(
    "/lists/{list_id}",
    response={200: ListOut, **errors(400, 404, 409, 422)},
    summary="Change a lead list",
    description="A size limit below the list's current size is refused (422).",
)
def list_update_view(request: ApiRequest, list_id: int, payload: ListPatch):
    lead_list = list_get(workspace=request.workspace, list_id=list_id)
    return list_update(lead_list=lead_list, data=payload.dict(exclude_unset=True))


@router.delete(
    "/lists/{list_id}",
    response={204: None, **errors(404)},
    summary="Delete a lead list",
    description="The leads stay.",
)
def list_delete_view(request: ApiRequest, list_id: int):
    list_delete(lead_list=list_get(workspace=request.workspace, list_id=list_id))
    return Status(204, None)


@router.post(
    "/lists/{list_id}/leads",
    response={200: BulkChangeOut, **errors(400, 404, 409, 422)},
    summary="Add leads to a list",
    description="All or nothing: when they would not all fit under the size limit, none is "
    "added (409). Leads already on the list, or unknown, are skipped.",
)
def list_add_leads_view(request: ApiRequest, list_id: int, payload: LeadIdsIn):
    lead_list = list_get(workspace=request.workspace, list_id=list_id)
    added = list_add_leads(lead_list=lead_list, lead_ids=payload.lead_ids, actor=actor_of(request))
    return {"changed": added}


@router.post(
    "/lists/{list_id}/leads/remove",
    response={200: BulkChangeOut, **errors(400, 404, 422)},
    summary="Remove leads from a list",
)
def list_remove_leads_view(request: ApiRequest, list_id: int, payload: LeadIdsIn):
    lead_list = list_get(workspace=request.workspace, list_id=list_id)
    removed = list_remove_leads(
        lead_list=lead_list, lead_ids=payload.lead_ids, actor=actor_of(request)
    )
    return {"changed": removed}
