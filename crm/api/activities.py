"""/leads/{id}/activities and /leads/{id}/notes: a lead's timeline, and notes on it."""

from __future__ import annotations

from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.activities import ActivityOut, NoteIn, TimelineQuery
from crm.api.schemas.common import errors
from crm.selectors.leads import lead_get
from crm.selectors.records import lead_timeline
from crm.services.activities import note_add

router = Router(tags=["activities"])


@router.get(
    "/leads/{lead_id}/activities",
    response={200: list[ActivityOut], **errors(404, 422)},
    summary="A lead's timeline",
    description="What happened to the lead, newest first.",
)
def timeline_view(request: ApiRequest, lead_id: int, query: Query[TimelineQuery]):
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)
    return lead_timeline(lead=lead, limit=query.limit)


@router.post(
    "/leads/{lead_id}/notes",
    response={201: ActivityOut, **errors(400, 404, 422)},
    summary="Add a note to a lead",
)
def note_add_view(request: ApiRequest, lead_id: int, payload: NoteIn):
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)
    activity = note_add(
        lead=lead, body=payload.body, actor=actor_of(request), catch_up=payload.catch_up
    )
    return Status(201, activity)
