"""/sequences and /enrollments: steps, variants, activation, enrollment, preview and results."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import errors
from crm.errors import ValidationFailed
from crm.selectors.records import list_get
from outreach.models import Mailbox, Step
from outreach.rendering.preview import enrollment_preview
from outreach.schemas import (
    EnrollIn,
    EnrollmentOut,
    EnrollOut,
    PreviewOut,
    ResultsOut,
    SequenceIn,
    SequenceOut,
    StepIn,
    StepOut,
    VariantIn,
    VariantOut,
)
from outreach.selectors import (
    enrollment_get,
    enrollments_of,
    sequence_get,
    sequence_results,
    sequences_of,
)
from outreach.services.enrollments import (
    enrollment_pause,
    enrollment_resume,
    enrollment_stop,
    enrollments_add,
    enrollments_add_from_list,
)
from outreach.services.sequences import (
    sequence_activate,
    sequence_create,
    sequence_pause,
    step_add,
    variant_add,
)

router = Router(tags=["sequences"])


@router.get("/sequences", response={200: list[SequenceOut], **errors()})
def sequences_view(request: ApiRequest):
    return sequences_of(workspace=request.workspace).prefetch_related("mailboxes")


@router.post("/sequences", response={201: SequenceOut, **errors(422)})
def sequence_create_view(request: ApiRequest, payload: SequenceIn):
    mailboxes = list(
        Mailbox.objects.filter(workspace=request.workspace, pk__in=payload.mailbox_ids)
    )
    if len(mailboxes) != len(set(payload.mailbox_ids)):
        raise ValidationFailed.field("mailbox_ids", "No such mailbox in this workspace.")
    options = payload.dict(exclude={"name", "mailbox_ids"})
    sequence = sequence_create(
        workspace=request.workspace, name=payload.name, mailboxes=mailboxes, options=options
    )
    return Status(201, sequence)


@router.get("/sequences/{sequence_id}", response={200: SequenceOut, **errors(404)})
def sequence_detail(request: ApiRequest, sequence_id: int):
    return sequence_get(workspace=request.workspace, sequence_id=sequence_id)


@router.post("/sequences/{sequence_id}/steps", response={201: StepOut, **errors(404, 422)})
def step_add_view(request: ApiRequest, sequence_id: int, payload: StepIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    return Status(201, step_add(sequence=sequence, **payload.dict()))


@router.post(
    "/sequences/{sequence_id}/steps/{step_id}/variants",
    response={201: VariantOut, **errors(404, 409, 422)},
)
def variant_add_view(request: ApiRequest, sequence_id: int, step_id: int, payload: VariantIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    step = get_object_or_404(Step, sequence=sequence, pk=step_id)
    return Status(201, variant_add(step=step, **payload.dict()))


@router.post(
    "/sequences/{sequence_id}/activate",
    response={200: SequenceOut, **errors(404, 422)},
    description="Refused (422) with every problem listed: unknown variables by step, and the "
    "leads whose values are empty for a variable without fallback.",
)
def sequence_activate_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    return sequence_activate(sequence=sequence)


@router.post("/sequences/{sequence_id}/pause", response={200: SequenceOut, **errors(404)})
def sequence_pause_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    return sequence_pause(sequence=sequence)


@router.get("/sequences/{sequence_id}/results", response={200: ResultsOut, **errors(404)})
def sequence_results_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    return sequence_results(sequence=sequence)


@router.post(
    "/sequences/{sequence_id}/enrollments",
    response={200: EnrollOut, **errors(404, 409, 422)},
    description="Give lead_ids or a list_id. Leads that may not be emailed are skipped with "
    "the reason (suppressed, do-not-contact, invalid email, already active elsewhere).",
)
def enroll_view(request: ApiRequest, sequence_id: int, payload: EnrollIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    if (payload.lead_ids is None) == (payload.list_id is None):
        raise ValidationFailed.field("lead_ids", "Give either lead_ids or list_id.")
    if payload.list_id is not None:
        lead_list = list_get(workspace=request.workspace, list_id=payload.list_id)
        report = enrollments_add_from_list(
            sequence=sequence, lead_list=lead_list, actor=actor_of(request)
        )
    else:
        slots = {int(k): v for k, v in (payload.slots or {}).items() if k.isdigit()}
        report = enrollments_add(
            sequence=sequence, lead_ids=payload.lead_ids or [], actor=actor_of(request), slots=slots
        )
    return {
        "added": len(report.added),
        "enrollment_ids": report.added,
        "skipped": [{"lead_id": lead_id, "reason": reason} for lead_id, reason in report.skipped],
    }


@router.get(
    "/sequences/{sequence_id}/enrollments", response={200: list[EnrollmentOut], **errors(404)}
)
def enrollments_view(request: ApiRequest, sequence_id: int, limit: int = 100, offset: int = 0):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    limit = max(1, min(limit, 500))
    return enrollments_of(sequence=sequence)[offset : offset + limit]


@router.get(
    "/enrollments/{enrollment_id}/preview",
    response={200: PreviewOut, **errors(404, 422)},
    description="The exact email (headers and body) of a step for this lead; step from 1, "
    "default the next one.",
)
def enrollment_preview_view(request: ApiRequest, enrollment_id: int, step: int | None = None):
    enrollment = enrollment_get(workspace=request.workspace, enrollment_id=enrollment_id)
    return enrollment_preview(
        enrollment=enrollment, step_position=None if step is None else step - 1
    )


@router.post(
    "/enrollments/{enrollment_id}/pause", response={200: EnrollmentOut, **errors(404, 409)}
)
def enrollment_pause_view(request: ApiRequest, enrollment_id: int):
    enrollment = enrollment_get(workspace=request.workspace, enrollment_id=enrollment_id)
    return enrollment_pause(enrollment=enrollment, reason="Paused by hand")


@router.post(
    "/enrollments/{enrollment_id}/resume", response={200: EnrollmentOut, **errors(404, 409)}
)
def enrollment_resume_view(request: ApiRequest, enrollment_id: int):
    enrollment = enrollment_get(workspace=request.workspace, enrollment_id=enrollment_id)
    return enrollment_resume(enrollment=enrollment)


@router.post("/enrollments/{enrollment_id}/stop", response={200: EnrollmentOut, **errors(404, 409)})
def enrollment_stop_view(request: ApiRequest, enrollment_id: int):
    enrollment = enrollment_get(workspace=request.workspace, enrollment_id=enrollment_id)
    return enrollment_stop(enrollment=enrollment, reason="Stopped by hand")
