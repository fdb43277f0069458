"""/leads: create (idempotent on request), read, change, delete, and the filtered, paged table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.db.models import Prefetch, prefetch_related_objects
from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import errors
from crm.api.schemas.leads import (
    LeadCountOut,
    LeadFilterQuery,
    LeadIn,
    LeadOut,
    LeadPageOut,
    LeadPageQuery,
    LeadPatch,
)
from crm.models import Lead, Tag
from crm.selectors.leads import lead_get, leads_count, leads_page
from crm.services.leads import lead_create, lead_delete, lead_update

router = Router(tags=["leads"])


def _with_relations(leads: Iterable[Lead]) -> None:
    # One query per relation for the whole page, whatever its size.
    prefetch_related_objects(
        list(leads), Prefetch("tags", queryset=Tag.objects.order_by("name")), "lists"
    )


@router.get(
    "/leads",
    response={200: LeadPageOut, **errors(422)},
    summary="List leads",
    description="Filtered and sorted; pages follow `next_cursor` (keyset pagination, as fast on "
    "the last page as on the first).",
)
def leads_list(request: ApiRequest, query: Query[LeadPageQuery]):
    page = leads_page(
        workspace=request.workspace,
        filters=query.to_filters(),
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    _with_relations(page.leads)
    return {"items": page.leads, "next_cursor": page.next_cursor}


@router.get(
    "/leads/count",
    response={200: LeadCountOut, **errors(422)},
    summary="Count leads",
    description="How many leads match the filters, counted up to 10,000.",
)
def leads_count_view(request: ApiRequest, query: Query[LeadFilterQuery]):
    count, more = leads_count(workspace=request.workspace, filters=query.to_filters())
    return {"count": count, "more": more}


@router.post(
    "/leads",
    response={201: LeadOut, 200: LeadOut, **errors(400, 409, 422)},
    summary="Create a lead",
    description="201 with the new lead: owned by the key's person and with source `api` "
    "unless `owner_id` or `source` is given. A known email or LinkedIn URL is a 409 carrying "
    "`existing_id`, or with `on_conflict=return` a 200 with the existing lead, unchanged.",
)
def lead_create_view(
    request: ApiRequest,
    payload: LeadIn,
    on_conflict: Literal["error", "return"] = "error",
):
    data = payload.dict(exclude_unset=True)
    # A lead made through a key belongs to the key's person unless the caller says otherwise.
    data.setdefault("owner_id", request.user.pk)
    if not data.get("source"):
        data["source"] = "api"
    lead, created = lead_create(
        workspace=request.workspace,
        actor=actor_of(request),
        data=data,
        on_conflict=on_conflict,
    )
    _with_relations([lead])
    return Status(201 if created else 200, lead)


@router.get("/leads/{lead_id}", response={200: LeadOut, **errors(404)}, summary="Get a lead")
def lead_detail(request: ApiRequest, lead_id: int):
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)
    _with_relations([lead])
    return lead


@router.patch(
    "/leads/{lead_id}",
    response={200: LeadOut, **errors(400, 404, 409, 422)},
    summary="Change a lead",
    description="Only the fields sent change. Custom fields merge; a null value removes one.",
)
def lead_update_view(request: ApiRequest, lead_id: int, payload: LeadPatch):
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)
    lead = lead_update(lead=lead, actor=actor_of(request), data=payload.dict(exclude_unset=True))
    _with_relations([lead])
    return lead


@router.delete(
    "/leads/{lead_id}",
    response={204: None, **errors(404)},
    summary="Delete a lead",
    description="With its timeline and tasks; it leaves its lists and tags.",
)
def lead_delete_view(request: ApiRequest, lead_id: int):
    lead_delete(
        lead=lead_get(workspace=request.workspace, lead_id=lead_id), actor=actor_of(request)
    )
    return Status(204, None)
