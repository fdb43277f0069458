"""Companies: the list, a new one, and one company with its people."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from crm.errors import DomainError
from crm.selectors.leads import LeadFilters, leads_count, leads_page
from crm.selectors.records import companies_list, company_get
from crm.services.companies import company_create
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.forms.records import CompanyForm
from crm.web.responses import is_htmx

COMPANIES_PER_PAGE = 50
LEADS_SHOWN = 50


@workspace_view
def companies_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    q = request.GET.get("q", "").strip()[:200]
    page = Paginator(companies_list(workspace=workspace, q=q), COMPANIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "q": q}
    if is_htmx(request):
        return render(request, "crm/companies/_results.html", context)
    return render(request, "crm/companies/index.html", context)


@workspace_view
def company_new(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = company_create(workspace=workspace, data=form.service_data())
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"{company} was added.")
            return redirect("crm:company", ws=workspace.slug, company_id=company.pk)
    return render(request, "crm/companies/form.html", {"form": form})


@workspace_view
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    company = company_get(workspace=workspace, company_id=company_id)
    filters = LeadFilters(company_id=company.pk)
    page = leads_page(workspace=workspace, filters=filters, sort="last_name", limit=LEADS_SHOWN)
    total, capped = leads_count(workspace=workspace, filters=filters)
    return render(
        request,
        "crm/companies/detail.html",
        {
            "company": company,
            "leads": page.leads,
            "total": total,
            "capped": capped,
            "more": page.next_cursor is not None,
        },
    )
