"""/companies: the accounts leads work for."""

from __future__ import annotations

from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from crm.api.schemas.companies import (
    CompanyIn,
    CompanyOut,
    CompanyPageOut,
    CompanyPatch,
    CompanyQuery,
)
from crm.selectors.records import companies_list, company_get
from crm.services.companies import company_create, company_delete, company_update

router = Router(tags=["companies"])


@router.get(
    "/companies",
    response={200: CompanyPageOut, **errors(422)},
    summary="List companies",
    description="By name, with how many leads work at each.",
)
def companies_list_view(request: ApiRequest, query: Query[CompanyQuery]):
    companies = companies_list(workspace=request.workspace, q=query.q.strip())
    return {
        "items": companies[query.offset : query.offset + query.limit],
        "count": companies.count(),
    }


@router.post(
    "/companies",
    response={201: CompanyOut, **errors(400, 409, 422)},
    summary="Create a company",
    description="A domain already used by another company is a 409 carrying `existing_id`.",
)
def company_create_view(request: ApiRequest, payload: CompanyIn):
    company = company_create(
        workspace=request.workspace,
        data=payload.dict(exclude_unset=True),
    )
    return Status(201, company)


@router.get(
    "/companies/{company_id}", response={200: CompanyOut, **errors(404)}, summary="Get a company"
)
def company_detail(request: ApiRequest, company_id: int):
    return company_get(workspace=request.workspace, company_id=company_id)


@router.patch(
    "/companies/{company_id}",
    response={200: CompanyOut, **errors(400, 404, 409, 422)},
    summary="Change a company",
    description="Only the fields sent change.",
)
def company_update_view(request: ApiRequest, company_id: int, payload: CompanyPatch):
    company = company_get(workspace=request.workspace, company_id=company_id)
    return company_update(company=company, data=payload.dict(exclude_unset=True))


@router.delete(
    "/companies/{company_id}",
    response={204: None, **errors(404)},
    summary="Delete a company",
    description="Its leads stay, without a company.",
)
def company_delete_view(request: ApiRequest, company_id: int):
    company_delete(company=company_get(workspace=request.workspace, company_id=company_id))
    return Status(204, None)
