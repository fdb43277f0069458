"""One lead: details, edit, timeline with notes, tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.actors import Actor
from crm.errors import DomainError
from crm.models import Lead
from crm.selectors.leads import lead_get
from crm.selectors.records import custom_fields_of, lead_timeline, tasks_list
from crm.services.activities import note_add
from crm.services.companies import company_resolve
from crm.services.leads import lead_delete, lead_update
from crm.services.tasks import task_create
from crm.web.access import signed_in_user, workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.extensions.lead_actions import lead_actions
from crm.web.forms.leads import LeadForm
from crm.web.forms.records import NoteForm, TaskForm
from crm.web.links import external_href
from crm.web.panels import lead_panel_urls
from crm.web.responses import is_htmx
from crm.web.selectors import company_names, lead_lists, lead_referrals, lead_tags, start_of_today
from crm.web.timeline import timeline_entries


def _page(request: HttpRequest, lead: Lead, **extra: Any) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    definitions = custom_fields_of(workspace=workspace, entity="lead")
    context = {
        "lead": lead,
        "timeline": timeline_entries(lead_timeline(lead=lead)),
        "tasks": list(tasks_list(workspace=workspace, lead=lead)),
        "lists": lead_lists(lead=lead),
        "tags": lead_tags(lead=lead),
        "referrals": lead_referrals(lead=lead),
        "custom_values": [(d.label, lead.custom_fields.get(d.key)) for d in definitions],
        "linkedin_href": external_href(lead.linkedin_url),
        "panel_urls": lead_panel_urls(ws=workspace.slug, lead_id=lead.pk),
        "lead_actions": lead_actions(ws=workspace.slug, lead_id=lead.pk),
        "note_form": NoteForm(),
        "task_form": TaskForm(workspace=workspace),
        "today_start": start_of_today(),
        **extra,
    }
    return render(request, "crm/lead/detail.html", context)


@workspace_view
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)  # type: ignore[attr-defined]
    return _page(request, lead)


@workspace_view
def lead_edit(request: HttpRequest, lead_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    lead = lead_get(workspace=workspace, lead_id=lead_id)
    form = LeadForm(request.POST or None, workspace=workspace, initial=LeadForm.initial_of(lead))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        name = form.cleaned_data.get("company_name", "").strip()
        try:
            # One transaction: a new company is not left behind when the lead is refused.
            with transaction.atomic():
                if name != (lead.company.name if lead.company else ""):
                    company = company_resolve(workspace=workspace, name=name, email=lead.email)
                    data["company_id"] = company.pk if company else None
                lead_update(lead=lead, actor=Actor.of_user(signed_in_user(request)), data=data)
        except DomainError as exc:
            lead.refresh_from_db()
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Changes saved.")
            return redirect("crm:lead", ws=workspace.slug, lead_id=lead.pk)
    return render(
        request,
        "crm/leads/form.html",
        {"form": form, "lead": lead, "company_names": company_names(workspace=workspace)},
    )


@require_POST
@workspace_view
def lead_note_add(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Add a note. With HTMX the new entry is returned to be prepended to the timeline."""
    workspace = request.workspace  # type: ignore[attr-defined]
    lead = lead_get(workspace=workspace, lead_id=lead_id)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        activity = note_add(
            lead=lead,
            body=form.cleaned_data.get("body", ""),
            actor=Actor.of_user(signed_in_user(request)),
            catch_up=form.cleaned_data.get("catch_up", False),
        )
    except DomainError as exc:
        if not is_htmx(request):
            messages.error(request, exc.message)
            return redirect("crm:lead", ws=workspace.slug, lead_id=lead.pk)
        form_add_domain_error(form, exc)
        response = render(request, "crm/lead/_note_form.html", {"lead": lead, "note_form": form})
        # Show the error in the form instead of adding to the timeline.
        response["HX-Retarget"] = "#note-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    if not is_htmx(request):
        messages.success(request, "Note added.")
        return redirect("crm:lead", ws=workspace.slug, lead_id=lead.pk)
    return render(
        request,
        "crm/lead/_note_added.html",
        {"lead": lead, "entry": timeline_entries([activity])[0], "note_form": NoteForm()},
    )


@require_POST
@workspace_view
def lead_task_add(request: HttpRequest, lead_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    lead = lead_get(workspace=workspace, lead_id=lead_id)
    form = TaskForm(request.POST, workspace=workspace)
    if form.is_valid():
        try:
            task_create(
                workspace=workspace,
                actor=Actor.of_user(signed_in_user(request)),
                data=form.service_data(),
                lead=lead,
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Task added.")
            return redirect("crm:lead", ws=workspace.slug, lead_id=lead.pk)
    return _page(request, lead, task_form=form, task_form_open=True)


@require_POST
@workspace_view
def lead_delete_view(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Delete a lead for good (with its timeline and tasks), then back to the table."""
    workspace = request.workspace  # type: ignore[attr-defined]
    lead = lead_get(workspace=workspace, lead_id=lead_id)
    name = str(lead)
    lead_delete(lead=lead, actor=Actor.of_user(signed_in_user(request)))
    messages.success(request, f"{name} was deleted.")
    return redirect("crm:leads", ws=workspace.slug)
