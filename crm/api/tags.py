"""/tags: labels on leads, put on or taken off many leads at once."""

from __future__ import annotations

from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import BulkChangeOut, LeadIdsIn, errors
from crm.api.schemas.tags import TagIn, TagOut, TagPatch
from crm.selectors.records import tag_get, tags_all
from crm.services.tags import leads_tag, leads_untag, tag_delete, tag_get_or_create, tag_update

router = Router(tags=["tags"])


@router.get("/tags", response={200: list[TagOut], **errors()}, summary="List tags")
def tags_view(request: ApiRequest):
    return tags_all(workspace=request.workspace)


@router.post(
    "/tags",
    response={201: TagOut, **errors(400, 422)},
    summary="Create a tag",
    description="Idempotent: a tag of that name (in any case) is returned as it is.",
)
def tag_create_view(request: ApiRequest, payload: TagIn):
    tag = tag_get_or_create(
        workspace=request.workspace,
        name=payload.name,
        color=payload.color,
    )
    return Status(201, tag)


@router.get("/tags/{tag_id}", response={200: TagOut, **errors(404)}, summary="Get a tag")
def tag_detail(request: ApiRequest, tag_id: int):
    return tag_get(workspace=request.workspace, tag_id=tag_id)


@router.patch(
    "/tags/{tag_id}",
    response={200: TagOut, **errors(400, 404, 409, 422)},
    summary="Rename or recolor a tag",
)
def tag_update_view(request: ApiRequest, tag_id: int, payload: TagPatch):
    tag = tag_get(workspace=request.workspace, tag_id=tag_id)
    return tag_update(tag=tag, **payload.dict(exclude_unset=True))


@router.delete(
    "/tags/{tag_id}",
    response={204: None, **errors(404)},
    summary="Delete a tag",
    description="It comes off every lead.",
)
def tag_delete_view(request: ApiRequest, tag_id: int):
    tag_delete(tag=tag_get(workspace=request.workspace, tag_id=tag_id))
    return Status(204, None)


@router.post(
    "/tags/{tag_id}/leads",
    response={200: BulkChangeOut, **errors(400, 404, 422)},
    summary="Tag leads",
    description="Leads that already have the tag, or are unknown, are skipped.",
)
def tag_leads_view(request: ApiRequest, tag_id: int, payload: LeadIdsIn):
    workspace = request.workspace
    tagged = leads_tag(
        workspace=workspace,
        lead_ids=payload.lead_ids,
        tag=tag_get(workspace=workspace, tag_id=tag_id),
        actor=actor_of(request),
    )
    return {"changed": tagged}


@router.post(
    "/tags/{tag_id}/leads/remove",
    response={200: BulkChangeOut, **errors(400, 404, 422)},
    summary="Untag leads",
)
def untag_leads_view(request: ApiRequest, tag_id: int, payload: LeadIdsIn):
    workspace = request.workspace
    untagged = leads_untag(
        workspace=workspace,
        lead_ids=payload.lead_ids,
        tag=tag_get(workspace=workspace, tag_id=tag_id),
        actor=actor_of(request),
    )
    return {"changed": untagged}
