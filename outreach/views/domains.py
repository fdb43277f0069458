"""Sending domains and mailboxes: warm-up progress, today's sends against caps, deliverability."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from outreach.caps import local_day
from outreach.forms import DomainForm, MailboxEditForm, MailboxForm, PolicyForm
from outreach.models import DomainState
from outreach.selectors import domain_get, mailbox_get, mailbox_today, mailboxes_of
from outreach.selectors.domain_checks import (
    deliverability_policy_get,
    domain_bounce_rate_7d,
    domain_checks_of,
    domains_with_health,
    findings_by_severity,
    last_check_of,
)
from outreach.services.connection_test import mailbox_test_connection
from outreach.services.dkim_discovery import dkim_selector_discover
from outreach.services.domain_checks import (
    deliverability_policy_update,
    domain_check_run,
    sending_domain_add,
)
from outreach.services.mailboxes import (
    mailbox_create,
    mailbox_pause,
    mailbox_resume,
    mailbox_update,
)

HISTORY_ROWS = 30
MAILBOX_FIELDS = [
    "display_name", "signature", "dkim_selector", "transport", "smtp_host", "smtp_port",
    "smtp_security", "smtp_username", "imap_host", "imap_port", "imap_security",
    "imap_username", "daily_cap", "ramp_start", "ramp_step", "window_weekdays", "window_start",
    "window_end", "timezone", "gap_min_seconds", "gap_max_seconds",
]  # fmt: skip


def _policy_initial(workspace) -> dict:  # type: ignore[no-untyped-def]
    policy = deliverability_policy_get(workspace=workspace)
    return {
        "pause_on_failure": policy.pause_on_failure,
        "ip_blocklists": "\n".join(policy.ip_blocklists),
        "domain_blocklists": "\n".join(policy.domain_blocklists),
        "dns_nameserver": policy.dns_nameserver or "",
        "dns_port": policy.dns_port,
    }


@workspace_view
def domains_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain = sending_domain_add(
                workspace=workspace,
                domain=data["domain"],
                timezone_name=data["timezone"],
                added_on=data["added_on"],
                warmup_days=data["warmup_days"],
                daily_cap=data["daily_cap"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"{domain} was added; its warm-up has started and its DNS is being checked.",
            )
            return redirect("outreach:domains", ws=workspace.slug)
    mailboxes = list(mailboxes_of(workspace=workspace))
    rows = []
    for domain in domains_with_health(workspace=workspace):
        own = [(m, mailbox_today(mailbox=m)) for m in mailboxes if m.domain_id == domain.pk]
        today = own[0][1] if own else None
        rows.append(
            {"domain": domain, "mailboxes": own, "today": today, "check": last_check_of(domain)}
        )
    policy_form = PolicyForm(initial=_policy_initial(workspace))
    return render(
        request,
        "outreach/domains.html",
        {"rows": rows, "form": form, "policy_form": policy_form},
    )


@require_POST
@workspace_view
def deliverability_policy(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            deliverability_policy_update(workspace=workspace, **form.service_data())
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The deliverability policy was saved.")
    else:
        problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
        messages.error(request, f"The policy was not saved ({problems}).")
    return redirect("outreach:domains", ws=workspace.slug)


def _domain_page(request: HttpRequest, domain_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    domain = domain_get(workspace=workspace, domain_id=domain_id)
    day = local_day(timezone.now(), domain.timezone)
    mailboxes = [(m, mailbox_today(mailbox=m)) for m in domain.mailboxes.order_by("address")]
    history = list(domain_checks_of(domain=domain)[:HISTORY_ROWS])
    last = history[0] if history else None
    return render(
        request,
        "outreach/domain_detail.html",
        {
            "domain": domain,
            "state": domain.state_on(day),
            "paused": domain.state == DomainState.PAUSED,
            "warmup_days_left": domain.warmup_days_left(day),
            "mailboxes": mailboxes,
            "domain_used": mailboxes[0][1]["domain_used"] if mailboxes else 0,
            "domain_cap": mailboxes[0][1]["domain_cap"] if mailboxes else domain.daily_cap,
            "bounce_rate_7d": domain_bounce_rate_7d(domain=domain),
            "check": last,
            "groups": findings_by_severity(last) if last else [],
            "history": history,
        },
    )


@workspace_view
def domain_detail(request: HttpRequest, domain_id: int) -> HttpResponse:
    return _domain_page(request, domain_id)


@require_POST
@workspace_view
def domain_check_now(request: HttpRequest, domain_id: int) -> HttpResponse:
    """Check now, synchronously: HTMX swaps the page's health section, a plain POST redirects."""
    workspace = request.workspace  # type: ignore[attr-defined]
    domain = domain_get(workspace=workspace, domain_id=domain_id)
    check = domain_check_run(domain=domain)
    if request.headers.get("HX-Request"):
        return _domain_page(request, domain.pk)
    messages.info(request, f"{domain}: {check.get_status_display()}.")
    return redirect("outreach:domain", ws=workspace.slug, domain_id=domain.pk)


@workspace_view
def mailbox_new(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = MailboxForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            mailbox = mailbox_create(
                workspace=workspace,
                domain=form.cleaned_data["domain"],
                address=form.cleaned_data["address"],
                data=form.service_data(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"{mailbox} was added.")
            return redirect("outreach:domains", ws=workspace.slug)
    return render(request, "outreach/mailbox_form.html", {"form": form})


@workspace_view
def mailbox_edit(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    mailbox = mailbox_get(workspace=workspace, mailbox_id=mailbox_id)
    initial = {name: getattr(mailbox, name) for name in MAILBOX_FIELDS}
    form = MailboxEditForm(request.POST or None, initial=initial, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            mailbox_update(mailbox=mailbox, data=form.service_data())
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"{mailbox} was saved.")
            return redirect("outreach:domain", ws=workspace.slug, domain_id=mailbox.domain_id)
    return render(request, "outreach/mailbox_form.html", {"form": form, "mailbox": mailbox})


@require_POST
@workspace_view
def mailbox_action(request: HttpRequest, mailbox_id: int, action: str) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    mailbox = mailbox_get(workspace=workspace, mailbox_id=mailbox_id)
    if action == "test":
        report = mailbox_test_connection(mailbox=mailbox)
        for ok, label, text in (
            (report.smtp_ok, "SMTP", report.smtp_message),
            (report.imap_ok, "IMAP", report.imap_message),
        ):
            (messages.success if ok else messages.error)(request, f"{mailbox} {label}: {text}")
    elif action == "dkim-selector":
        try:
            found = dkim_selector_discover(mailbox=mailbox)
        except DomainError as exc:
            messages.error(request, f"{mailbox}: {exc.message}")
        else:
            (messages.success if found.stored else messages.warning)(
                request, f"{mailbox}: {found.message}"
            )
        return redirect("outreach:mailbox_edit", ws=workspace.slug, mailbox_id=mailbox.pk)
    elif action == "pause":
        mailbox_pause(mailbox=mailbox, reason="Paused by hand")
    elif action == "resume":
        mailbox_resume(mailbox=mailbox)
    return redirect("outreach:domains", ws=workspace.slug)
