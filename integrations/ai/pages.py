"""Workspace pages of AI personalization: the settings (with "test connection" and "what is
sent" for a chosen lead) and the review queue of slot drafts, per sequence."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.web.access import signed_in_user, workspace_view
from integrations.ai.configure import ai_connection_test, ai_settings_update, require_ai_admin
from integrations.ai.drafting import sender_of
from integrations.ai.prompts import response_format, slot_messages
from integrations.ai.review import slot_draft_approve, slot_draft_reject
from integrations.ai.selectors import (
    ai_settings_of,
    draft_get,
    drafts_to_review,
    lead_get,
    live_enrollment_of,
    sequence_get,
    sequences_of,
)
from integrations.ai.sources import has_usable, lead_sources
from integrations.ai.tasks import ai_generate_enqueue

QUEUE_ROWS = 50


def _what_is_sent(request: HttpRequest, lead_id: str) -> dict[str, object] | None:
    """The messages a slot draft for this lead sends, as drafting builds them (the sender is
    the mailbox of the lead's live enrollment, else the person looking)."""
    if not lead_id.isdigit():
        return None
    workspace = request.workspace  # type: ignore[attr-defined]
    lead = lead_get(workspace=workspace, lead_id=int(lead_id))
    enrollment = live_enrollment_of(lead=lead)
    if enrollment is not None:
        sender = sender_of(enrollment)
    else:
        user = signed_in_user(request)
        sender = f"{user.get_full_name() or user.email} at {workspace.name}"
    sources = lead_sources(lead)
    return {
        "lead": lead,
        "enrollment": enrollment,
        "usable": has_usable(sources),
        "messages": slot_messages(sources=sources, sender=sender),
        "response_format": response_format(structured=settings.AI_STRUCTURED_OUTPUTS),
    }


@workspace_view
def ai_settings_page(request: HttpRequest) -> HttpResponse:
    """GET shows the settings; POST (owners, admins) saves them or tests the connection."""
    workspace = request.workspace  # type: ignore[attr-defined]
    errors: dict[str, list[str]] = {}
    status = 200
    check = None
    if request.method == "POST":
        try:
            require_ai_admin(workspace=workspace, user=signed_in_user(request))
            if request.POST.get("action") == "test":
                check = ai_connection_test(ai=ai_settings_of(workspace=workspace))
            else:
                key = request.POST.get("api_key", "")
                ai_settings_update(
                    workspace=workspace,
                    enabled=request.POST.get("enabled") == "on",
                    base_url=request.POST.get("base_url", ""),
                    model=request.POST.get("model", ""),
                    # The key field is never filled in: blank keeps it, "clear" removes it.
                    api_key="" if request.POST.get("clear_key") == "on" else (key or None),
                )
                messages.success(request, "The AI settings are saved.")
                return redirect("integrations:ai_settings", ws=workspace.slug)
        except DomainError as exc:
            errors = exc.errors or {"general": [exc.message]}
            status = exc.status
    ai = ai_settings_of(workspace=workspace)
    return render(
        request,
        "integrations/ai/settings.html",
        {
            "ai": ai,
            "has_key": bool(ai.api_key),
            "default_base_url": settings.OPENAI_BASE_URL,
            "default_model": settings.AI_MODEL,
            "errors": errors,
            "check": check,
            "sent": _what_is_sent(request, request.GET.get("lead", "")),
            "lead_id": request.GET.get("lead", ""),
        },
        status=status,
    )


@workspace_view
def review_page(request: HttpRequest) -> HttpResponse:
    """The drafts awaiting review, for one sequence or all, each with its numbered sources."""
    workspace = request.workspace  # type: ignore[attr-defined]
    raw = request.GET.get("sequence", "")
    sequence = sequence_get(workspace=workspace, sequence_id=int(raw)) if raw.isdigit() else None
    drafts = drafts_to_review(workspace=workspace, sequence_id=sequence.pk if sequence else None)
    return render(
        request,
        "integrations/ai/review.html",
        {
            "sequence": sequence,
            "sequences": sequences_of(workspace=workspace),
            "drafts": list(drafts[:QUEUE_ROWS]),
            "ai": ai_settings_of(workspace=workspace),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    url = reverse("integrations:ai_review", kwargs={"ws": workspace.slug})
    sequence = request.POST.get("sequence", "")
    return redirect(f"{url}?sequence={sequence}" if sequence.isdigit() else url)


@require_POST
@workspace_view
def draft_decide(request: HttpRequest, draft_id: int, action: str) -> HttpResponse:
    """Approve (with the reviewer's edits) or reject one draft from the queue."""
    draft = draft_get(workspace=request.workspace, draft_id=draft_id)  # type: ignore[attr-defined]
    user = signed_in_user(request)
    try:
        if action == "approve":
            edits = {n: request.POST[n] for n in ("slot1", "slot2", "slot3") if n in request.POST}
            _, written = slot_draft_approve(
                draft=draft, user=user, edits=edits, overwrite=request.POST.get("overwrite") == "on"
            )
            kept = 3 - len(written)
            note = f" ({kept} slot{'s' if kept != 1 else ''} kept as they were)" if kept else ""
            messages.success(request, f"Approved for {draft.enrollment.lead}{note}.")
        elif action == "reject":
            slot_draft_reject(draft=draft, user=user)
            messages.success(request, f"Rejected the draft for {draft.enrollment.lead}.")
        else:
            messages.error(request, "Unknown action.")
    except DomainError as exc:
        messages.error(request, str(exc))
    return _back(request)


@require_POST
@workspace_view
def generate(request: HttpRequest) -> HttpResponse:
    """Queue drafts for every live enrollment of the chosen sequence (a job on the ai queue)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    raw = request.POST.get("sequence", "")
    if not raw.isdigit():
        messages.error(request, "Choose a sequence.")
        return _back(request)
    sequence = sequence_get(workspace=workspace, sequence_id=int(raw))
    if not ai_settings_of(workspace=workspace).enabled:
        messages.error(request, "AI is off for this workspace: turn it on in the AI settings.")
        return _back(request)
    ai_generate_enqueue(workspace=workspace, sequence_id=sequence.pk, enrollment_ids=None)
    messages.success(request, f"Drafting for {sequence.name}: refresh to see the drafts.")
    return _back(request)
