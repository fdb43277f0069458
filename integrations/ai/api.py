"""/ai: the workspace's model settings, slot drafts for a sequence, and their review."""

from __future__ import annotations

from django.conf import settings
from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from integrations.ai.configure import (
    ai_connection_test,
    ai_settings_update,
    require_ai_admin,
)
from integrations.ai.connection import address_check, connection_for
from integrations.ai.models import AiSettings
from integrations.ai.review import slot_draft_approve, slot_draft_reject
from integrations.ai.schemas import (
    AiSettingsOut,
    AiSettingsPatch,
    ApproveIn,
    ApproveOut,
    ConnectionTestOut,
    DraftOut,
    GenerateIn,
    GenerateOut,
)
from integrations.ai.selectors import ai_settings_of, draft_get, drafts_of, sequence_get
from integrations.ai.tasks import ai_generate_enqueue

router = Router(tags=["AI personalization"])


def _settings_out(ai: AiSettings) -> dict[str, object]:
    return {
        "enabled": ai.enabled,
        "base_url": ai.base_url,
        "model": ai.model,
        "has_api_key": bool(ai.api_key),
        "effective_base_url": ai.base_url or settings.OPENAI_BASE_URL,
        "effective_model": ai.model or settings.AI_MODEL,
    }


@router.get("/ai/settings", response={200: AiSettingsOut, **errors()}, summary="AI settings")
def ai_settings_get(request: ApiRequest):
    return _settings_out(ai_settings_of(workspace=request.workspace))


@router.patch(
    "/ai/settings",
    response={200: AiSettingsOut, **errors(403, 422)},
    summary="Change AI settings (owners and admins)",
    description="Nothing is sent to a model until `enabled` is true. The key is write-only.",
)
def ai_settings_patch(request: ApiRequest, payload: AiSettingsPatch):
    require_ai_admin(workspace=request.workspace, user=request.user)
    ai = ai_settings_update(workspace=request.workspace, **payload.dict(exclude_unset=True))
    return _settings_out(ai)


@router.post(
    "/ai/settings/test",
    response={200: ConnectionTestOut, **errors(409, 422)},
    summary="Send one tiny request to the model",
)
def ai_settings_test(request: ApiRequest):
    check = ai_connection_test(ai=ai_settings_of(workspace=request.workspace))
    return check.__dict__


@router.post(
    "/sequences/{sequence_id}/ai-drafts",
    response={202: GenerateOut, **errors(404, 409, 422)},
    summary="Draft slot1–3 for a sequence's enrollments (a background job on the ai queue)",
)
def ai_drafts_generate(request: ApiRequest, sequence_id: int, payload: GenerateIn):
    sequence = sequence_get(workspace=request.workspace, sequence_id=sequence_id)
    # Refuse now (409 AI off, 422 private URL) rather than in a job nobody watches.
    address_check(connection_for(ai_settings_of(workspace=request.workspace)).base_url)
    ids = [int(i) for i in payload.enrollment_ids] if payload.enrollment_ids is not None else None
    ai_generate_enqueue(workspace=request.workspace, sequence_id=sequence.pk, enrollment_ids=ids)
    return Status(202, {"queued": True, "sequence_id": sequence.pk, "enrollment_ids": ids})


@router.get(
    "/ai-drafts",
    response={200: list[DraftOut], **errors()},
    summary="Slot drafts, newest first (status: pending, approved, rejected, ungrounded, …)",
)
def ai_drafts_list(
    request: ApiRequest, sequence_id: int | None = None, status: str = "", limit: int = 100
):
    drafts = drafts_of(workspace=request.workspace, sequence_id=sequence_id, status=status)
    return list(drafts[: max(1, min(limit, settings.API_PAGE_SIZE_MAX))])


@router.get("/ai-drafts/{draft_id}", response={200: DraftOut, **errors(404)}, summary="A draft")
def ai_draft_detail(request: ApiRequest, draft_id: int):
    return draft_get(workspace=request.workspace, draft_id=draft_id)


@router.post(
    "/ai-drafts/{draft_id}/approve",
    response={200: ApproveOut, **errors(404, 409, 422)},
    summary="Approve a draft (optionally edited) into the enrollment's empty slots",
)
def ai_draft_approve(request: ApiRequest, draft_id: int, payload: ApproveIn):
    draft = draft_get(workspace=request.workspace, draft_id=draft_id)
    edits = payload.dict(exclude_unset=True)
    overwrite = bool(edits.pop("overwrite", False))
    approved, written = slot_draft_approve(
        draft=draft, user=request.user, edits=edits, overwrite=overwrite
    )
    return {"draft": approved, "slots_written": written}


@router.post(
    "/ai-drafts/{draft_id}/reject",
    response={200: DraftOut, **errors(404, 409)},
    summary="Reject a draft",
)
def ai_draft_reject(request: ApiRequest, draft_id: int):
    draft = draft_get(workspace=request.workspace, draft_id=draft_id)
    return slot_draft_reject(draft=draft, user=request.user)
