"""The exact email a lead gets (preview), and what capture mailboxes kept instead of sending."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from crm.errors import DomainError
from crm.web.access import workspace_view
from outreach.rendering.preview import enrollment_preview
from outreach.selectors import captured_messages, enrollment_get, message_get


@workspace_view
def enrollment_preview_page(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    enrollment = enrollment_get(workspace=workspace, enrollment_id=enrollment_id)
    step = request.GET.get("step", "")
    error, preview = "", None
    try:
        preview = enrollment_preview(
            enrollment=enrollment, step_position=int(step) - 1 if step.isdigit() else None
        )
    except DomainError as exc:
        error = str(exc)
    return render(
        request,
        "outreach/preview.html",
        {"enrollment": enrollment, "preview": preview, "error": error},
    )


@workspace_view
def captured_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    page = Paginator(captured_messages(workspace=workspace), 50).get_page(request.GET.get("page"))
    return render(request, "outreach/captured.html", {"page": page})


@workspace_view
def captured_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    message = message_get(workspace=workspace, message_id=message_id)
    if not message.raw_mime:
        raise Http404("Nothing was captured for this message.")
    return render(request, "outreach/captured_detail.html", {"message": message})
