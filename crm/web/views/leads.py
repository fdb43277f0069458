"""The leads table, its bulk actions, and the new-lead form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.actors import Actor
from crm.errors import Conflict, DomainError
from crm.selectors.records import list_get, lists_all
from crm.services.leads import lead_create
from crm.services.lists import list_add_leads, list_remove_leads
from crm.services.tags import leads_tag, tag_get_or_create
from crm.web.access import signed_in_user, workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.forms.leads import BulkForm, LeadForm
from crm.web.responses import is_htmx, redirect_back
from crm.web.selectors import company_names, open_sequences
from crm.web.views.leads_table import leads_table_context


def _enroll(request: HttpRequest, workspace, ids: list[int], actor: Actor) -> None:  # type: ignore[no-untyped-def]
    """Enroll the ticked leads; the message says how many and why some were skipped."""
    from outreach.selectors import sequence_get
    from outreach.services.enrollments import enrollments_add

    raw = request.POST.get("sequence_id", "")
    if not raw.isdigit():
        messages.warning(request, "Choose a sequence first.")
        return
    sequence = sequence_get(workspace=workspace, sequence_id=int(raw))
    report = enrollments_add(sequence=sequence, lead_ids=ids, actor=actor)
    n, skipped = len(report.added), len(report.skipped)
    text = f"Enrolled {n} lead{'s' if n != 1 else ''} in “{sequence.name}”."
    if skipped:
        reasons = sorted({reason for _, reason in report.skipped})
        text += f" Skipped {skipped}: {'; '.join(reasons)}."
    messages.success(request, text)


@workspace_view
def leads_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    context = leads_table_context(request, workspace=workspace)
    context["lists"] = lists_all(workspace=workspace)
    context["sequences"] = open_sequences(workspace=workspace)
    if is_htmx(request):
        return render(request, "crm/leads/_results.html", context)
    return render(request, "crm/leads/index.html", context)


@workspace_view
def lead_new(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = LeadForm(request.POST or None, workspace=workspace)
    existing_url = None
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data["company_name"] = form.cleaned_data.get("company_name", "")
        try:
            lead, _ = lead_create(
                workspace=workspace, actor=Actor.of_user(signed_in_user(request)), data=data
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
            if isinstance(exc, Conflict) and exc.existing_id:
                existing_url = reverse(
                    "crm:lead", kwargs={"ws": workspace.slug, "lead_id": exc.existing_id}
                )
        else:
            messages.success(request, f"{lead} was added.")
            return redirect("crm:lead", ws=workspace.slug, lead_id=lead.pk)
    return render(
        request,
        "crm/leads/form.html",
        {
            "form": form,
            "existing_url": existing_url,
            "company_names": company_names(workspace=workspace),
        },
    )


@require_POST
@workspace_view
def leads_bulk(request: HttpRequest) -> HttpResponse:
    """Add the ticked leads to a list, tag them, or take them off a list."""
    workspace = request.workspace  # type: ignore[attr-defined]
    back = reverse("crm:leads", kwargs={"ws": workspace.slug})
    form = BulkForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["lead_ids"]:
        messages.warning(request, "Tick at least one lead first.")
        return redirect_back(request, back)
    ids = form.cleaned_data["lead_ids"]
    action = form.cleaned_data["action"]
    actor = Actor.of_user(signed_in_user(request))
    try:
        if action == "enroll":
            _enroll(request, workspace, ids, actor)
        elif action == "tag":
            tag = tag_get_or_create(workspace=workspace, name=form.cleaned_data["tag_name"] or "")
            n = leads_tag(workspace=workspace, lead_ids=ids, tag=tag, actor=actor)
            messages.success(request, f"Tagged {n} lead{'s' if n != 1 else ''} “{tag.name}”.")
        elif form.cleaned_data["list_id"] is None:
            messages.warning(request, "Choose a list first.")
        else:
            lead_list = list_get(workspace=workspace, list_id=form.cleaned_data["list_id"])
            if action == "add_to_list":
                n = list_add_leads(lead_list=lead_list, lead_ids=ids, actor=actor)
                messages.success(
                    request, f"Added {n} lead{'s' if n != 1 else ''} to “{lead_list}”."
                )
            else:
                n = list_remove_leads(lead_list=lead_list, lead_ids=ids, actor=actor)
                messages.success(
                    request, f"Removed {n} lead{'s' if n != 1 else ''} from “{lead_list}”."
                )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect_back(request, back)
