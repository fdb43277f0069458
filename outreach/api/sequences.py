"""/sequences: create, change, activate, pause, resume, stop; steps and variants; results and
replies. The step editor and the enrollments have their own modules on this router."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from crm.errors import ValidationFailed
from outreach.api import enrollments, sequence_steps
from outreach.api.sequence_schemas import (
    PositiveIn,
    ReplyOut,
    ResultsOut,
    SequenceUpdateIn,
    StoppedOut,
)
from outreach.models import Mailbox, Step
from outreach.schemas import SequenceIn, SequenceOut, StepIn, StepOut, VariantIn, VariantOut
from outreach.selectors import sequence_get, sequences_of
from outreach.selectors.results import (
    reply_get,
    sequence_daily,
    sequence_replies,
    sequence_results,
)
from outreach.services.replies import reply_mark_positive
from outreach.services.sequences import (
    sequence_activate,
    sequence_create,
    sequence_pause,
    sequence_resume,
    sequence_stop,
    sequence_update,
    step_add,
    variant_add,
)

router = Router(tags=["sequences"])
# The editor's and the enrollments' endpoints live in their own modules, on this router.
router.add_router("", sequence_steps.router)
router.add_router("", enrollments.router)


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
    response={200: SequenceOut, **errors(404, 409, 422)},
    description="Refused (422) with every problem listed: unknown variables by step, the "
    "leads whose values are empty for a variable without fallback, and SMTP mailboxes while "
    "SITE_URL is not https (one-click unsubscribe, RFC 8058, needs an https link).",
)
def sequence_activate_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    return sequence_activate(sequence=sequence)


@router.post("/sequences/{sequence_id}/pause", response={200: SequenceOut, **errors(404)})
def sequence_pause_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    return sequence_pause(sequence=sequence)


@router.post(
    "/sequences/{sequence_id}/resume",
    response={200: SequenceOut, **errors(404, 409, 422)},
    description="Send again after a pause; refused (422) like an activation when a problem "
    "appeared meanwhile.",
)
def sequence_resume_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    return sequence_resume(sequence=sequence)


@router.post(
    "/sequences/{sequence_id}/stop",
    response={200: StoppedOut, **errors(404)},
    description="End the sequence for good: every live enrollment stops.",
)
def sequence_stop_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    stopped = sequence_stop(sequence=sequence)
    return {"status": sequence.status, "enrollments_stopped": stopped}


@router.patch("/sequences/{sequence_id}", response={200: SequenceOut, **errors(404, 422)})
def sequence_update_view(request: ApiRequest, sequence_id: int, payload: SequenceUpdateIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    mailboxes = None
    if payload.mailbox_ids is not None:
        mailboxes = list(
            Mailbox.objects.filter(workspace=request.workspace, pk__in=payload.mailbox_ids)
        )
        if len(mailboxes) != len(set(payload.mailbox_ids)):
            raise ValidationFailed.field("mailbox_ids", "No such mailbox in this workspace.")
    options = payload.dict(exclude_none=True, exclude={"name", "mailbox_ids"})
    return sequence_update(
        sequence=sequence, name=payload.name, mailboxes=mailboxes, options=options
    )


@router.get(
    "/sequences/{sequence_id}/results",
    response={200: ResultsOut, **errors(404)},
    description="Enrolled, sent, replied, positive, bounced and unsubscribed for the sequence "
    "and per step and variant, with rates, and sends and replies per day (30 days).",
)
def sequence_results_view(request: ApiRequest, sequence_id: int):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    results = sequence_results(sequence=sequence)
    return {**results, "daily": sequence_daily(sequence=sequence)}


@router.get("/sequences/{sequence_id}/replies", response={200: list[ReplyOut], **errors(404)})
def sequence_replies_view(request: ApiRequest, sequence_id: int, limit: int = 100, offset: int = 0):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return sequence_replies(sequence=sequence)[offset : offset + limit]


@router.post(
    "/replies/{inbound_id}/positive",
    response={200: ReplyOut, **errors(404, 422)},
    description="Mark a reply positive (interested), or take the mark back with false.",
)
def reply_positive_view(request: ApiRequest, inbound_id: int, payload: PositiveIn):
    reply = reply_get(workspace=request.workspace, inbound_id=inbound_id)
    return reply_mark_positive(inbound=reply, positive=payload.positive)
