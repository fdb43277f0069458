"""Campaign results of a sequence: figures per step and variant, a chart, and the replies
(each can be marked positive)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.web.access import workspace_view
from crm.web.responses import is_htmx, redirect_back
from outreach.selectors import sequence_get
from outreach.selectors.results import reply_get, sequence_daily, sequence_replies, sequence_results
from outreach.services.replies import reply_mark_positive


@workspace_view
def sequence_results_page(request: HttpRequest, sequence_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    results = sequence_results(sequence=sequence)
    variants = results["variants"]
    chart = {
        "variants": {
            "labels": [f"Step {r.step} · {r.variant}" for r in variants],
            "sent": [r.sent for r in variants],
            "replied": [r.replied for r in variants],
            "positive": [r.positive for r in variants],
            "bounced": [r.bounced for r in variants],
        },
        "daily": sequence_daily(sequence=sequence),
    }
    replies = Paginator(sequence_replies(sequence=sequence), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/sequence_results.html",
        {
            "sequence": sequence,
            "tab": "results",
            "results": results,
            "chart": chart,
            "replies": replies,
            "next_url": request.get_full_path(),
        },
    )


@require_POST
@workspace_view
def reply_positive(request: HttpRequest, inbound_id: int) -> HttpResponse:
    """Mark a reply positive, or take the mark back (``positive=0``)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    reply = reply_get(workspace=workspace, inbound_id=inbound_id)
    reply = reply_mark_positive(inbound=reply, positive=request.POST.get("positive", "1") != "0")
    if is_htmx(request):
        return render(
            request,
            "outreach/sequence_reply_row.html",
            {"reply": reply, "next_url": request.POST.get("next", "")},
        )
    return redirect_back(request, reverse("outreach:sequences", kwargs={"ws": workspace.slug}))
