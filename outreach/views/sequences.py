"""Sequences: the list, a new one, and one sequence (steps, activation, enrollment, results)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.actors import Actor
from crm.errors import DomainError
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from outreach.forms import EnrollListForm, SequenceForm, StepForm
from outreach.selectors import enrollments_of, sequence_get, sequence_results, sequences_of
from outreach.services.enrollments import enrollments_add_from_list
from outreach.services.sequences import (
    sequence_activate,
    sequence_create,
    sequence_pause,
    sequence_problems,
    step_add,
)


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
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    step_form = StepForm(request.POST if "add_step" in request.POST else None)
    enroll_form = EnrollListForm(
        request.POST if "enroll" in request.POST else None, workspace=workspace
    )
    if request.method == "POST":
        try:
            if "add_step" in request.POST and step_form.is_valid():
                step_add(sequence=sequence, **step_form.cleaned_data)
                return redirect(request.path)
            if "enroll" in request.POST and enroll_form.is_valid():
                report = enrollments_add_from_list(
                    sequence=sequence,
                    lead_list=enroll_form.cleaned_data["lead_list"],
                    actor=Actor.of_user(request.user),  # type: ignore[arg-type]
                )
                messages.success(
                    request, f"{len(report.added)} enrolled, {len(report.skipped)} skipped."
                )
                for lead_id, reason in report.skipped[:20]:
                    messages.warning(request, f"Lead {lead_id} skipped: {reason}")
                return redirect(request.path)
        except DomainError as exc:
            form_add_domain_error(step_form if "add_step" in request.POST else enroll_form, exc)
    context = {
        "sequence": sequence,
        "steps": list(sequence.steps.prefetch_related("variants")),
        "results": sequence_results(sequence=sequence),
        "problems": sequence_problems(sequence=sequence) if sequence.status != "active" else {},
        "enrollments": enrollments_of(sequence=sequence)[:100],
        "step_form": step_form,
        "enroll_form": enroll_form,
    }
    return render(request, "outreach/sequence.html", context)


@require_POST
@workspace_view
def sequence_status(request: HttpRequest, sequence_id: int, action: str) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    try:
        if action == "activate":
            sequence_activate(sequence=sequence)
            messages.success(request, "The sequence is live.")
        elif action == "pause":
            sequence_pause(sequence=sequence)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("outreach:sequence", ws=workspace.slug, sequence_id=sequence.pk)
