"""/sequences/{id}/steps…: edit, reorder and remove steps and A/B variants; preview a draft."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from outreach.api.sequence_schemas import (
    DraftIn,
    DraftPreviewOut,
    StepMoveIn,
    StepUpdateIn,
    VariantUpdateIn,
)
from outreach.schemas import StepOut, VariantOut
from outreach.selectors import sequence_get
from outreach.selectors.editor import step_get, variant_get
from outreach.selectors.previews import Draft, draft_preview
from outreach.services.steps import (
    step_move,
    step_remove,
    step_update,
    variant_add,
    variant_next_label,
    variant_remove,
    variant_update,
)

router = Router(tags=["sequences"])


@router.patch(
    "/sequences/{sequence_id}/steps/{step_id}", response={200: StepOut, **errors(404, 422)}
)
def step_update_view(request: ApiRequest, sequence_id: int, step_id: int, payload: StepUpdateIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    step = step_get(sequence=sequence, step_id=step_id)
    return step_update(step=step, **payload.dict(exclude_none=True))


@router.post(
    "/sequences/{sequence_id}/steps/{step_id}/move",
    response={200: StepOut, **errors(404, 409, 422)},
    description="Swap with the neighbouring step. Steps a lead has received stay put (409).",
)
def step_move_view(request: ApiRequest, sequence_id: int, step_id: int, payload: StepMoveIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    step = step_get(sequence=sequence, step_id=step_id)
    return step_move(step=step, direction=payload.direction)


@router.delete(
    "/sequences/{sequence_id}/steps/{step_id}",
    response={204: None, **errors(404, 409, 422)},
    description="Only a step no lead has received (409 otherwise); later steps move up.",
)
def step_remove_view(request: ApiRequest, sequence_id: int, step_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    step_remove(step=step_get(sequence=sequence, step_id=step_id))
    return Status(204, None)


@router.post(
    "/sequences/{sequence_id}/steps/{step_id}/variants/next",
    response={201: VariantOut, **errors(404, 409, 422)},
    description="Add a variant under the next free letter (B, C …).",
)
def variant_add_next_view(
    request: ApiRequest, sequence_id: int, step_id: int, payload: VariantUpdateIn
):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    step = step_get(sequence=sequence, step_id=step_id)
    return Status(
        201, variant_add(step=step, label=variant_next_label(step=step), **payload.dict())
    )


@router.put(
    "/sequences/{sequence_id}/steps/{step_id}/variants/{variant_id}",
    response={200: VariantOut, **errors(404, 422)},
)
def variant_update_view(
    request: ApiRequest, sequence_id: int, step_id: int, variant_id: int, payload: VariantUpdateIn
):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    variant = variant_get(step=step_get(sequence=sequence, step_id=step_id), variant_id=variant_id)
    return variant_update(variant=variant, **payload.dict())


@router.delete(
    "/sequences/{sequence_id}/steps/{step_id}/variants/{variant_id}",
    response={204: None, **errors(404, 409)},
)
def variant_remove_view(request: ApiRequest, sequence_id: int, step_id: int, variant_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    variant_remove(
        variant=variant_get(
            step=step_get(sequence=sequence, step_id=step_id), variant_id=variant_id
        )
    )
    return Status(204, None)


@router.post(
    "/sequences/{sequence_id}/preview",
    response={200: DraftPreviewOut, **errors(404, 422)},
    description="Render text not saved yet as step `position` for an enrolled lead (or a sample "
    "lead): the exact headers and body, plus every unknown variable or missing value.",
)
def draft_preview_view(request: ApiRequest, sequence_id: int, payload: DraftIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    enrollment = None
    if payload.enrollment_id is not None:
        enrollment = get_object_or_404(
            sequence.enrollments.select_related("lead__company", "mailbox__domain"),
            pk=payload.enrollment_id,
        )
    draft = Draft(
        position=min(payload.position, sequence.steps.count()),
        same_thread=payload.same_thread,
        subject=payload.subject,
        body=payload.body,
        body_html=payload.body_html,
        label=payload.label,
    )
    result = draft_preview(
        sequence=sequence, draft=draft, enrollment=enrollment, step_id=payload.step_id
    )
    return {
        "lead": result.lead_label,
        "errors": result.errors,
        "headers": [{"name": n, "value": v} for n, v in result.headers],
        "preview": result.preview,
    }
