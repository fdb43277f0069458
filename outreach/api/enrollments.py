"""/sequences/{id}/enrollments and /enrollments: enroll (leads, a list or a filter), list,
pause / resume / stop one or several, slots, preview."""

from __future__ import annotations

from ninja import Query, Router

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import errors
from crm.errors import ValidationFailed
from crm.selectors.records import list_get
from outreach.api.sequence_schemas import (
    BulkIn,
    BulkOut,
    EnrollIn,
    EnrollmentsQuery,
    EnrollOut,
    SlotsIn,
)
from outreach.rendering.preview import enrollment_preview
from outreach.schemas import EnrollmentOut, PreviewOut
from outreach.selectors import enrollment_get, sequence_get
from outreach.selectors.editor import enrollments_filtered
from outreach.services.enrollments import (
    enrollment_pause,
    enrollment_resume,
    enrollment_slots_update,
    enrollment_stop,
    enrollments_add,
    enrollments_add_from_filter,
    enrollments_add_from_list,
    enrollments_bulk,
)

router = Router(tags=["sequences"])


@router.post(
    "/sequences/{sequence_id}/enrollments",
    response={200: EnrollOut, **errors(404, 409, 422)},
    description="Give exactly one of lead_ids, list_id or filter (the leads table's filters). "
    "Leads that may not be emailed are skipped with the reason (suppressed, do-not-contact, "
    "invalid email, already active elsewhere).",
)
def enroll_view(request: ApiRequest, sequence_id: int, payload: EnrollIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    given = [x is not None for x in (payload.lead_ids, payload.list_id, payload.filter)]
    if sum(given) != 1:
        raise ValidationFailed.field("lead_ids", "Give exactly one of lead_ids, list_id, filter.")
    actor = actor_of(request)
    if payload.list_id is not None:
        lead_list = list_get(workspace=request.workspace, list_id=payload.list_id)
        report = enrollments_add_from_list(sequence=sequence, lead_list=lead_list, actor=actor)
    elif payload.filter is not None:
        report = enrollments_add_from_filter(
            sequence=sequence, filters=payload.filter.to_filters(), actor=actor
        )
    else:
        slots = {int(k): v for k, v in (payload.slots or {}).items() if k.isdigit()}
        report = enrollments_add(
            sequence=sequence, lead_ids=payload.lead_ids or [], actor=actor, slots=slots
        )
    return {
        "added": len(report.added),
        "enrollment_ids": report.added,
        "skipped": [{"lead_id": lead_id, "reason": reason} for lead_id, reason in report.skipped],
    }


@router.get(
    "/sequences/{sequence_id}/enrollments", response={200: list[EnrollmentOut], **errors(404, 422)}
)
def enrollments_view(request: ApiRequest, sequence_id: int, query: Query[EnrollmentsQuery]):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    rows = enrollments_filtered(sequence=sequence, status=query.status, q=query.q)
    return rows[query.offset : query.offset + query.limit]


@router.post(
    "/sequences/{sequence_id}/enrollments/bulk",
    response={200: BulkOut, **errors(404, 422)},
    description="Pause, resume or stop several enrollments; the ones that cannot change are "
    "listed with the reason.",
)
def enrollments_bulk_view(request: ApiRequest, sequence_id: int, payload: BulkIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    changed, refused = enrollments_bulk(
        sequence=sequence, enrollment_ids=payload.enrollment_ids, action=payload.action
    )
    return {
        "changed": changed,
        "refused": [{"enrollment_id": pk, "reason": reason} for pk, reason in refused],
    }


@router.get("/enrollments/{enrollment_id}", response={200: EnrollmentOut, **errors(404)})
def enrollment_view(request: ApiRequest, enrollment_id: int):
    return enrollment_get(workspace=request.workspace, enrollment_id=enrollment_id)


@router.patch(
    "/enrollments/{enrollment_id}",
    response={200: EnrollmentOut, **errors(404, 409, 422)},
    description="Set slot1–slot3; an empty string clears one (the lead's own slot applies).",
)
def enrollment_slots_view(request: ApiRequest, enrollment_id: int, payload: SlotsIn):
    enrollment = enrollment_get(workspace=request.workspace, enrollment_id=enrollment_id)
    return enrollment_slots_update(enrollment=enrollment, slots=payload.dict(exclude_none=True))


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
