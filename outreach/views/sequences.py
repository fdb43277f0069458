"""Sequences: the list, a new one, one sequence (its steps), its settings and its status."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.selectors.records import lists_all
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from outreach.forms import SequenceForm
from outreach.models import SequenceStatus
from outreach.selectors import sequence_get, sequences_of
from outreach.selectors.editor import steps_of
from outreach.selectors.results import sequence_results
from outreach.sending.one_click import one_click_refusal
from outreach.services.sequences import (
    sequence_activate,
    sequence_create,
    sequence_lead_gaps,
    sequence_pause,
    sequence_problems,
    sequence_resume,
    sequence_stop,
    sequence_update,
)

OPTION_FIELDS = ("stop_on_reply", "stop_company_on_reply", "use_lead_timezone", "unsubscribe_line")


@workspace_view
def sequences_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    rows = [(s, sequence_results(sequence=s)) for s in sequences_of(workspace=workspace)]
    return render(request, "outreach/sequences.html", {"rows": rows})


@workspace_view
def sequence_new(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = SequenceForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            sequence = sequence_create(
                workspace=workspace,
                name=data.pop("name"),
                mailboxes=list(data.pop("mailboxes")),
                options=data,
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return redirect("outreach:sequence", ws=workspace.slug, sequence_id=sequence.pk)
    return render(request, "outreach/sequence_form.html", {"form": form})


@workspace_view
def sequence_detail(request: HttpRequest, sequence_id: int) -> HttpResponse:
    """The steps of the sequence, what stops it going live, its leads and options."""
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    live = sequence.status == SequenceStatus.ACTIVE
    problems = {} if live else sequence_problems(sequence=sequence)
    context = {
        "sequence": sequence,
        "tab": "steps",
        "steps": steps_of(sequence=sequence),
        "results": sequence_results(sequence=sequence),
        "problems": {k: v for k, v in problems.items() if k != "leads"},
        # The same leads as problems["leads"], with their enrollment to fix them on.
        "gaps": sequence_lead_gaps(sequence=sequence) if "leads" in problems else [],
        # Live, yet held by the rule the planner applies (SITE_URL no longer https, say).
        "held": [r for m in sequence.mailboxes.all() if (r := one_click_refusal(m))]
        if live
        else [],
        "lists": lists_all(workspace=workspace),
    }
    return render(request, "outreach/sequence.html", context)


@workspace_view
def sequence_settings(request: HttpRequest, sequence_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    initial = {"name": sequence.name, "mailboxes": list(sequence.mailboxes.all())}
    initial.update({k: getattr(sequence, k) for k in OPTION_FIELDS})
    form = SequenceForm(request.POST or None, workspace=workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            sequence_update(
                sequence=sequence,
                name=data.pop("name"),
                mailboxes=list(data.pop("mailboxes")),
                options=data,
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("outreach:sequence", ws=workspace.slug, sequence_id=sequence.pk)
    return render(
        request,
        "outreach/sequence_settings.html",
        {"sequence": sequence, "form": form, "tab": "settings"},
    )


@require_POST
@workspace_view
def sequence_status(request: HttpRequest, sequence_id: int, action: str) -> HttpResponse:
    """Activate, pause, resume or stop the whole sequence."""
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    try:
        if action == "activate":
            sequence_activate(sequence=sequence)
            messages.success(request, "The sequence is live.")
        elif action == "resume":
            sequence_resume(sequence=sequence)
            messages.success(request, "The sequence sends again.")
        elif action == "pause":
            sequence_pause(sequence=sequence)
            messages.success(request, "Paused: nothing is sent until you resume.")
        elif action == "stop":
            stopped = sequence_stop(sequence=sequence)
            messages.success(
                request,
                f"Stopped for good: {stopped} enrollment{'s' if stopped != 1 else ''} ended.",
            )
        else:
            messages.error(request, f"Unknown action “{action}”.")
    except DomainError as exc:
        # The page lists every problem (and each lead concerned) under the header.
        messages.error(request, exc.message)
    return redirect("outreach:sequence", ws=workspace.slug, sequence_id=sequence.pk)
