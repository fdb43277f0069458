"""/suppressions: addresses and domains never to be emailed."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import RecordId, errors
from outreach.models import Suppression
from outreach.schemas import SuppressionIn, SuppressionOut
from outreach.selectors import suppressions_of
from outreach.services.suppression import suppression_add, suppression_remove

router = Router(tags=["suppression"])


class SuppressionPage(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/suppressions", response={200: list[SuppressionOut], **errors()})
def suppressions_view(request: ApiRequest, query: Query[SuppressionPage]):
    rows = suppressions_of(workspace=request.workspace)
    return rows[query.offset : query.offset + query.limit]


@router.post("/suppressions", response={201: SuppressionOut, **errors(422)})
def suppression_add_view(request: ApiRequest, payload: SuppressionIn):
    row = suppression_add(
        workspace=request.workspace, value=payload.value, reason=payload.reason, note=payload.note
    )
    return Status(201, row)


@router.delete("/suppressions/{suppression_id}", response={204: None, **errors(404)})
def suppression_remove_view(request: ApiRequest, suppression_id: RecordId):
    row = get_object_or_404(Suppression, workspace=request.workspace, pk=suppression_id)
    suppression_remove(suppression=row)
    return Status(204, None)
