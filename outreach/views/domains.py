"""Sending domains and mailboxes: warm-up progress, today's sends against caps, deliverability."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from outreach.caps import local_day
from outreach.domain_readiness import domain_readiness
from outreach.forms import DomainForm, MailboxEditForm, MailboxForm, PolicyForm
from outreach.mail_providers import PROVIDERS, presets_json, provider_of
from outreach.models import DomainState, Mailbox
from outreach.ramp_preview import ramp_preview
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
        check = last_check_of(domain)
        readiness = domain_readiness(
            domain=domain,
            day=local_day(timezone.now(), domain.timezone),
            check=check,
            mailboxes=[m for m, _ in own],
        )
        rows.append(
            {
                "domain": domain,
                "mailboxes": own,
                "today": today,
                "check": check,
                "readiness": readiness,
            }
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
            "readiness": domain_readiness(
                domain=domain, day=day, check=last, mailboxes=[m for m, _ in mailboxes]
            ),
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
    return render(request, "outreach/mailbox_form.html", _form_context(request, form, None))


@workspace_view
def mailbox_edit(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    mailbox = mailbox_get(workspace=workspace, mailbox_id=mailbox_id)
    initial = {name: getattr(mailbox, name) for name in MAILBOX_FIELDS}
    initial["provider"] = provider_of(initial)
    form = MailboxEditForm(request.POST or None, initial=initial, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            mailbox_update(mailbox=mailbox, data=form.service_data())
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"{mailbox} was saved.")
            return redirect("outreach:domain", ws=workspace.slug, domain_id=mailbox.domain_id)
    return render(request, "outreach/mailbox_form.html", _form_context(request, form, mailbox))


RAMP_FIELDS = ("daily_cap", "ramp_start", "ramp_step", "window_weekdays", "timezone")


def _ramp_of(request: HttpRequest, data, mailbox: Mailbox | None) -> dict:  # type: ignore[no-untyped-def]
    """The next 30 days' caps for the values in ``data`` (the form's, as typed so far)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    domain = mailbox.domain if mailbox else None
    if domain is None:
        picked = str(data.get("domain") or "")
        domains = workspace.sending_domains.order_by("domain")
        domain = (domains.filter(pk=int(picked)) if picked.isdigit() else domains).first()
    if domain is None:
        return {"ramp": [], "mailbox": mailbox}
    form = MailboxForm(data, workspace=workspace)
    form.is_valid()
    draft = Mailbox(domain=domain)
    for name in RAMP_FIELDS:
        if name in form.cleaned_data:
            setattr(draft, name, form.cleaned_data[name])
    today = local_day(timezone.now(), draft.timezone)
    draft.ramp_starts_on = mailbox.ramp_starts_on if mailbox else max(domain.warm_on, today)
    return {
        "ramp": ramp_preview(mailbox=draft, domain=domain, start=today),
        "ramp_domain": domain,
        "mailbox": mailbox,
    }


def _form_context(request: HttpRequest, form: MailboxForm, mailbox: Mailbox | None) -> dict:
    data = (
        form.data
        if form.is_bound
        else {
            **{k: v for k, v in form.initial.items()},
            **{k: f.initial for k, f in form.fields.items() if k not in form.initial},
        }
    )
    return {
        "form": form,
        "mailbox": mailbox,
        "presets": presets_json(),
        "provider_help": {key: p.help for key, p in PROVIDERS.items()},
        **_ramp_of(request, _as_query(data), mailbox),
    }


def _as_query(data) -> QueryDict:  # type: ignore[no-untyped-def]
    if isinstance(data, QueryDict):
        return data
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list | tuple):
            query.setlist(key, [str(v) for v in value])
        elif value is not None:
            query[key] = str(value.pk if hasattr(value, "pk") else value)
    return query


@workspace_view
def mailbox_ramp(request: HttpRequest) -> HttpResponse:
    """The ramp table again, for the values typed so far (the form asks on every change)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    raw = request.GET.get("mailbox", "")
    known = raw.isdigit() and len(raw) < 19
    mailbox = mailbox_get(workspace=workspace, mailbox_id=int(raw)) if known else None
    return render(request, "outreach/_ramp_preview.html", _ramp_of(request, request.GET, mailbox))


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
