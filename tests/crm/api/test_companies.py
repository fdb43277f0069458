"""/companies: create, read, change, delete; domains unique per workspace."""

from __future__ import annotations

from crm.models import Company
from tests.factories import CompanyFactory, LeadFactory

from .calls import delete, get, patch, post


def test_it_creates_a_company_with_a_domain_from_its_website(api):
    response = post(api, "/companies", {"name": "Initech", "website": "https://www.Initech.io/x"})
    assert response.status_code == 201
    assert response.json()["domain"] == "initech.io"
    assert response.json()["lead_count"] == 0


def test_a_known_domain_is_a_conflict_naming_the_existing_company(api, workspace):
    existing = CompanyFactory(workspace=workspace, domain="initech.io")
    response = post(api, "/companies", {"name": "Initech Inc", "domain": "INITECH.io"})
    assert response.status_code == 409
    assert response.json()["existing_id"] == existing.pk


def test_it_names_the_field_at_fault(api):
    response = post(api, "/companies", {"name": "", "domain": "not a domain", "sector": "x"})
    assert response.status_code == 422
    assert "sector" in response.json()["errors"]
    response = post(api, "/companies", {"name": "", "domain": "not a domain"})
    assert set(response.json()["errors"]) == {"name", "domain"}


def test_it_lists_companies_by_name_with_their_lead_counts(api, workspace, other_workspace):
    beta = CompanyFactory(workspace=workspace, name="Beta")
    alpha = CompanyFactory(workspace=workspace, name="Alpha")
    CompanyFactory(workspace=other_workspace, name="Aardvark")
    LeadFactory(workspace=workspace, company=beta)
    body = get(api, "/companies").json()
    assert body["count"] == 2
    assert [(c["id"], c["lead_count"]) for c in body["items"]] == [(alpha.pk, 0), (beta.pk, 1)]


def test_it_searches_and_pages_companies(api, workspace):
    for i in range(5):
        CompanyFactory(workspace=workspace, name=f"Acme {i}")
    CompanyFactory(workspace=workspace, name="Hooli")
    body = get(api, "/companies", {"q": "acme", "limit": 2, "offset": 2}).json()
    assert body["count"] == 5
    assert [c["name"] for c in body["items"]] == ["Acme 2", "Acme 3"]
    assert get(api, "/companies", {"limit": 0}).status_code == 422


def test_it_shows_changes_and_deletes_a_company(api, workspace):
    company = CompanyFactory(workspace=workspace)
    lead = LeadFactory(workspace=workspace, company=company)
    assert get(api, f"/companies/{company.pk}").json()["lead_count"] == 1
    response = patch(api, f"/companies/{company.pk}", {"industry": "Software"})
    assert response.status_code == 200
    assert response.json()["industry"] == "Software"
    assert response.json()["name"] == company.name
    assert delete(api, f"/companies/{company.pk}").status_code == 204
    lead.refresh_from_db()
    assert lead.company is None


def test_patch_to_a_known_domain_is_a_conflict(api, workspace):
    CompanyFactory(workspace=workspace, domain="initech.io")
    company = CompanyFactory(workspace=workspace)
    assert patch(api, f"/companies/{company.pk}", {"domain": "initech.io"}).status_code == 409


def test_another_workspaces_company_is_not_found(api, other_workspace):
    company = CompanyFactory(workspace=other_workspace)
    assert get(api, f"/companies/{company.pk}").status_code == 404
    assert patch(api, f"/companies/{company.pk}", {"name": "Mine"}).status_code == 404
    assert delete(api, f"/companies/{company.pk}").status_code == 404
    assert Company.objects.get(pk=company.pk).name == company.name
