"""Enrollment pages: who is in a sequence, adding leads (list, filter, selection), one lead's
enrollment with its slots, and pause / resume / stop, one by one or several at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.actors import Actor
from crm.errors import DomainError
from crm.models import Lead
from crm.selectors.leads import leads_count, leads_page
from crm.selectors.records import lists_all
from crm.web.access import signed_in_user, workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.forms.leads import LeadFilterForm
from crm.web.responses import redirect_back
from outreach.forms import EnrollmentBulkForm, EnrollSelectionForm, SlotsForm
from outreach.models import EnrollmentStatus
from outreach.rendering.preview import enrollment_preview
from outreach.selectors import enrollment_get, sequence_get
from outreach.selectors.editor import enrollments_filtered, steps_of
from outreach.services.enrollments import (
    EnrollReport,
    enrollment_pause,
    enrollment_resume,
    enrollment_slots_update,
    enrollment_stop,
    enrollments_add,
    enrollments_add_from_filter,
    enrollments_add_from_list,
    enrollments_bulk,
)

PAGE_SIZE = 50


def _skipped_rows(workspace, report: EnrollReport) -> list[tuple[int, Lead | None, str]]:  # type: ignore[no-untyped-def]
    leads = Lead.objects.filter(
        workspace=workspace, pk__in=[lead_id for lead_id, _ in report.skipped]
    )
    by_id = {lead.pk: lead for lead in leads}
    return [(lead_id, by_id.get(lead_id), reason) for lead_id, reason in report.skipped]


@workspace_view
def sequence_enrollments(request: HttpRequest, sequence_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    status = request.GET.get("status", "")
    if status not in EnrollmentStatus.values:
        status = ""
    q = request.GET.get("q", "")[:200]
    rows = enrollments_filtered(sequence=sequence, status=status, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(sequence.enrollments.values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request,
        "outreach/sequence_enrollments.html",
        {
            "sequence": sequence,
            "tab": "enrollments",
            "page": page,
            "status": status,
            "q": q,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in EnrollmentStatus.choices
            ],
            "total": sum(counts.values()),
        },
    )


@workspace_view
def sequence_enroll(request: HttpRequest, sequence_id: int) -> HttpResponse:
    """Pick leads by list, by the leads table's filters, or one by one; then see who was
    skipped and why."""
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    filter_form = LeadFilterForm(request.GET or None, workspace=workspace)
    filters = filter_form.filters()
    report, error = None, ""
    if request.method == "POST":
        actor = Actor.of_user(signed_in_user(request))
        how = request.POST.get("how", "")
        try:
            if how == "filter":
                report = enrollments_add_from_filter(
                    sequence=sequence, filters=filters, actor=actor
                )
            elif how == "selection":
                picked = EnrollSelectionForm(request.POST)
                if not picked.is_valid() or not picked.cleaned_data["lead_ids"]:
                    error = "Tick at least one lead first."
                else:
                    report = enrollments_add(
                        sequence=sequence, lead_ids=picked.cleaned_data["lead_ids"], actor=actor
                    )
            elif how == "list":
                list_id = request.POST.get("list_id", "")
                lead_list = next(
                    (x for x in lists_all(workspace=workspace) if str(x.pk) == list_id), None
                )
                if lead_list is None:
                    error = "Choose a list first."
                else:
                    report = enrollments_add_from_list(
                        sequence=sequence, lead_list=lead_list, actor=actor
                    )
            else:
                error = "Choose how to pick the leads."
        except DomainError as exc:
            error = exc.message
    page = leads_page(workspace=workspace, filters=filters, cursor=None, limit=PAGE_SIZE)
    total, capped = leads_count(workspace=workspace, filters=filters)
    enrolled = set(
        sequence.enrollments.filter(lead_id__in=[x.pk for x in page.leads]).values_list(
            "lead_id", flat=True
        )
    )
    return render(
        request,
        "outreach/sequence_enroll.html",
        {
            "sequence": sequence,
            "tab": "enrollments",
            "filter_form": filter_form,
            "leads": page.leads,
            "enrolled": enrolled,
            "total": total,
            "capped": capped,
            "has_filters": bool(request.GET),
            "lists": lists_all(workspace=workspace),
            "report": report,
            "skipped": _skipped_rows(workspace, report) if report else [],
            "error": error,
            "query": request.GET.urlencode(),
        },
        status=422 if error else 200,
    )


@workspace_view
def enrollment_detail(request: HttpRequest, sequence_id: int, enrollment_id: int) -> HttpResponse:
    """One lead in a sequence: status, slots (editable), each step's email and its fate."""
    workspace = request.workspace  # type: ignore[attr-defined]
    enrollment = enrollment_get(workspace=workspace, enrollment_id=enrollment_id)
    if enrollment.sequence_id != sequence_id:
        raise Http404("No such enrollment in this sequence.")
    slots = enrollment.slots or {}
    lead_slots = enrollment.lead.slots or {}
    form = SlotsForm(
        request.POST or None,
        initial={name: slots.get(name, "") for name in ("slot1", "slot2", "slot3")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrollment_slots_update(enrollment=enrollment, slots=form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Slots saved.")
            return redirect(request.path)
    sent = {m.step_position: m for m in enrollment.messages.exclude(status="cancelled")}
    steps = []
    for step in steps_of(sequence=enrollment.sequence):
        preview, problem = None, ""
        try:
            preview = enrollment_preview(enrollment=enrollment, step_position=step.position)
        except DomainError as exc:
            problem = "; ".join(m for msgs in exc.errors.values() for m in msgs) or exc.message
        steps.append(
            {
                "step": step,
                "message": sent.get(step.position),
                "preview": preview,
                "problem": problem,
            }
        )
    return render(
        request,
        "outreach/sequence_enrollment.html",
        {
            "enrollment": enrollment,
            "sequence": enrollment.sequence,
            "tab": "enrollments",
            "form": form,
            "lead_slots": lead_slots,
            "steps": steps,
        },
        status=422 if form.errors else 200,
    )


@require_POST
@workspace_view
def enrollment_action(request: HttpRequest, enrollment_id: int, action: str) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    enrollment = enrollment_get(workspace=workspace, enrollment_id=enrollment_id)
    try:
        if action == "pause":
            enrollment_pause(enrollment=enrollment, reason="Paused by hand")
            messages.success(request, f"{enrollment.lead} is paused.")
        elif action == "resume":
            enrollment_resume(enrollment=enrollment)
            messages.success(request, f"{enrollment.lead} continues.")
        elif action == "stop":
            enrollment_stop(enrollment=enrollment, reason="Stopped by hand")
            messages.success(request, f"{enrollment.lead} gets nothing more from this sequence.")
        else:
            messages.error(request, f"Unknown action “{action}”.")
    except DomainError as exc:
        messages.error(request, exc.message)
    default = reverse(
        "outreach:enrollment",
        kwargs={
            "ws": workspace.slug,
            "sequence_id": enrollment.sequence_id,
            "enrollment_id": enrollment.pk,
        },
    )
    return redirect_back(request, default)


@require_POST
@workspace_view
def enrollments_bulk_action(request: HttpRequest, sequence_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    form = EnrollmentBulkForm(request.POST)
    back = reverse(
        "outreach:sequence_enrollments", kwargs={"ws": workspace.slug, "sequence_id": sequence.pk}
    )
    if not form.is_valid() or not form.cleaned_data["enrollment_ids"]:
        messages.warning(request, "Tick at least one enrollment and choose an action.")
        return redirect(back)
    changed, refused = enrollments_bulk(
        sequence=sequence,
        enrollment_ids=form.cleaned_data["enrollment_ids"],
        action=form.cleaned_data["action"],
    )
    messages.success(request, f"{changed} enrollment{'s' if changed != 1 else ''} changed.")
    for enrollment_id, reason in refused[:10]:
        messages.warning(request, f"Enrollment {enrollment_id}: {reason}")
    return redirect_back(request, back)
