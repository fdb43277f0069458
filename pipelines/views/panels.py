"""Pieces other pages embed with HTMX: the lead's pipeline panel and the dashboard panel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.errors import DomainError, ValidationFailed
from crm.selectors.leads import lead_get
from crm.web.access import workspace_view
from crm.web.responses import is_htmx, redirect_back
from pipelines.money import to_minor
from pipelines.selectors.board import entries_of_lead, referrals_of
from pipelines.selectors.dashboard import day_of_work
from pipelines.services import (
    conversation_log,
    pipeline_settings_get,
    referrals_record,
    rule_customer_paid,
)
from pipelines.views.common import actor_of

REFERRAL_ROWS = 2


def _panel_context(lead, **extra) -> dict:  # type: ignore[no-untyped-def]
    return {
        "lead": lead,
        "entries": entries_of_lead(lead=lead),
        "referrals": referrals_of(lead=lead),
        "default_currency": pipeline_settings_get(workspace=lead.workspace).default_currency,
        "referral_rows": extra.pop("referral_rows", None) or [{} for _ in range(REFERRAL_ROWS)],
        **extra,
    }


@workspace_view
def lead_panel(request: HttpRequest, lead_id: int) -> HttpResponse:
    """The lead's stage in each pipeline, deal value, catch-ups, referrals (an HTMX fragment)."""
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)  # type: ignore[attr-defined]
    return render(request, "pipelines/_lead_panel.html", _panel_context(lead))


@workspace_view
def lead_page(request: HttpRequest, lead_id: int) -> HttpResponse:
    """The same panel as a page of its own (linked from the board's quick view)."""
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)  # type: ignore[attr-defined]
    return render(request, "pipelines/lead.html", _panel_context(lead))


def _back_to_panel(request: HttpRequest, lead, **extra) -> HttpResponse:  # type: ignore[no-untyped-def]
    if is_htmx(request):
        return render(request, "pipelines/_lead_panel.html", _panel_context(lead, **extra))
    default = reverse("pipelines:lead", kwargs={"ws": lead.workspace.slug, "lead_id": lead.pk})
    return redirect_back(request, default)


@workspace_view
@require_POST
def referrals_add(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Record the people a customer referred: rows of name + email / LinkedIn URL."""
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)  # type: ignore[attr-defined]
    names = request.POST.getlist("name")
    emails = request.POST.getlist("email")
    linkedins = request.POST.getlist("linkedin_url")
    rows = []
    for i, name in enumerate(names):
        first, _, last = name.strip().partition(" ")
        row = {
            "first_name": first,
            "last_name": last.strip(),
            "email": emails[i].strip() if i < len(emails) else "",
            "linkedin_url": linkedins[i].strip() if i < len(linkedins) else "",
        }
        if any(row.values()):
            rows.append(row)
    try:
        people = referrals_record(customer=lead, people=rows, actor=actor_of(request))
    except ValidationFailed as exc:
        if not is_htmx(request):
            messages.error(request, str(exc))
        return _back_to_panel(
            request,
            lead,
            referral_errors=exc.errors,
            referral_error=exc.message,
            referral_rows=[{**r, "name": f"{r['first_name']} {r['last_name']}"} for r in rows]
            or None,
        )
    text = f"Recorded {len(people)} referral{'s' if len(people) != 1 else ''}."
    if not is_htmx(request):
        messages.success(request, text)
    return _back_to_panel(request, lead, notice=text)


@workspace_view
@require_POST
def conversation_add(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Log a call, meeting or catch-up note; a customer moves to its next catch-up."""
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)  # type: ignore[attr-defined]
    try:
        conversation_log(
            lead=lead,
            kind=request.POST.get("kind", ""),
            body=request.POST.get("body", ""),
            actor=actor_of(request),
        )
    except DomainError as exc:
        if not is_htmx(request):
            messages.error(request, str(exc))
        return _back_to_panel(request, lead, panel_error=str(exc))
    return _back_to_panel(request, lead, notice="Conversation logged.")


@workspace_view
@require_POST
def payment_add(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Record a payment typed in by a person: the lead becomes a customer."""
    workspace = request.workspace  # type: ignore[attr-defined]
    lead = lead_get(workspace=workspace, lead_id=lead_id)
    currency = (request.POST.get("currency") or "").strip().upper() or (
        pipeline_settings_get(workspace=workspace).default_currency
    )
    amount = (request.POST.get("amount") or "").strip()
    try:
        minor = to_minor(amount, currency) if amount else None
        rule_customer_paid(
            lead=lead, actor=actor_of(request), amount_minor=minor, currency=currency
        )
    except ValueError:
        return _back_to_panel(request, lead, panel_error="Type the amount, e.g. 1250.50.")
    except DomainError as exc:
        return _back_to_panel(request, lead, panel_error=str(exc))
    return _back_to_panel(request, lead, notice="Payment recorded.")


@workspace_view
def dashboard_panel(request: HttpRequest) -> HttpResponse:
    """Catch-ups due, referral asks pending, leads moved today (an HTMX fragment)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    days = pipeline_settings_get(workspace=workspace).catch_up_after_days
    day = day_of_work(workspace=workspace, days=days)
    return render(request, "pipelines/_dashboard_panel.html", {"day": day, "days": days})
