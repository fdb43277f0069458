"""Sending domains and mailboxes: warm-up progress, today's sends against caps, state, test."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from outreach.forms import DomainForm, MailboxForm
from outreach.selectors import domains_of, mailbox_get, mailbox_today, mailboxes_of
from outreach.services.connection_test import mailbox_test_connection
from outreach.services.domains import sending_domain_create
from outreach.services.mailboxes import mailbox_create, mailbox_pause, mailbox_resume


@workspace_view
def domains_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain = sending_domain_create(
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
            messages.success(request, f"{domain} was added; its warm-up has started.")
            return redirect("outreach:domains", ws=workspace.slug)
    mailboxes = list(mailboxes_of(workspace=workspace))
    rows = []
    for domain in domains_of(workspace=workspace):
        own = [(m, mailbox_today(mailbox=m)) for m in mailboxes if m.domain_id == domain.pk]
        today = own[0][1] if own else None
        rows.append({"domain": domain, "mailboxes": own, "today": today})
    return render(request, "outreach/domains.html", {"rows": rows, "form": form})


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
    elif action == "pause":
        mailbox_pause(mailbox=mailbox, reason="Paused by hand")
    elif action == "resume":
        mailbox_resume(mailbox=mailbox)
    return redirect("outreach:domains", ws=workspace.slug)
