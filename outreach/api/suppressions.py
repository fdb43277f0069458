"""/suppressions: addresses and domains never to be emailed."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from outreach.models import Suppression
from outreach.schemas import SuppressionIn, SuppressionOut
from outreach.selectors import suppressions_of
from outreach.services.suppression import suppression_add, suppression_remove

router = Router(tags=["suppression"])


@router.get("/suppressions", response={200: list[SuppressionOut], **errors()})
def suppressions_view(request: ApiRequest, limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, 500))
    return suppressions_of(workspace=request.workspace)[offset : offset + limit]


@router.post("/suppressions", response={201: SuppressionOut, **errors(422)})
def suppression_add_view(request: ApiRequest, payload: SuppressionIn):
    row = suppression_add(
        workspace=request.workspace, value=payload.value, reason=payload.reason, note=payload.note
    )
    return Status(201, row)


@router.delete("/suppressions/{suppression_id}", response={204: None, **errors(404)})
def suppression_remove_view(request: ApiRequest, suppression_id: int):
    row = get_object_or_404(Suppression, workspace=request.workspace, pk=suppression_id)
    suppression_remove(suppression=row)
    return Status(204, None)
