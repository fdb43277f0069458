"""/custom-fields: a workspace's own fields on leads and companies."""

from __future__ import annotations

from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from crm.api.schemas.custom_fields import CustomFieldIn, CustomFieldOut, CustomFieldQuery
from crm.selectors.records import custom_fields_of
from crm.services.custom_fields import custom_field_define

router = Router(tags=["custom fields"])


@router.get(
    "/custom-fields",
    response={200: list[CustomFieldOut], **errors(422)},
    summary="List custom fields",
)
def custom_fields_view(request: ApiRequest, query: Query[CustomFieldQuery]):
    return custom_fields_of(workspace=request.workspace, entity=query.entity)


@router.post(
    "/custom-fields",
    response={201: CustomFieldOut, **errors(400, 409, 422)},
    summary="Define a custom field",
    description="A key already defined for the same entity is a 409.",
)
def custom_field_define_view(request: ApiRequest, payload: CustomFieldIn):
    definition = custom_field_define(
        workspace=request.workspace,
        key=payload.key,
        label=payload.label,
        field_type=payload.field_type,
        entity=payload.entity,
        choices=payload.choices,
    )
    return Status(201, definition)
