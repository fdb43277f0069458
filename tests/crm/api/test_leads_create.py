"""POST /leads: normalized, deduplicated, idempotent on request, field-level errors."""

from __future__ import annotations

import pytest

from crm.models import Activity, ActivityKind, Company, Lead
from crm.services.custom_fields import custom_field_define

from .calls import post


def test_it_creates_a_lead_with_normalized_identity(api, workspace, owner):
    response = post(
        api,
        "/leads",
        {
            "first_name": " Jane ",
            "email": " Jane.Doe@Initech.IO ",
            "linkedin_url": "uk.linkedin.com/in/Jane-Doe/?trk=x",
            "company_name": "Initech",
            "owner_id": owner.pk,
            "slots": {"slot1": "Your Q3 hiring"},
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "jane.doe@initech.io"
    assert body["linkedin_url"] == "https://www.linkedin.com/in/jane-doe/"
    assert body["first_name"] == "Jane"
    assert body["company"]["domain"] == "initech.io"
    assert body["owner"]["email"] == "olivia@acme.test"
    assert body["slots"] == {"slot1": "Your Q3 hiring"}
    assert body["tags"] == [] and body["list_ids"] == []
    lead = Lead.objects.get(pk=body["id"])
    assert lead.workspace == workspace
    assert Activity.objects.get(lead=lead).kind == ActivityKind.CREATED


def test_it_never_shows_internal_columns(api):
    body = post(api, "/leads", {"email": "a@initech.io"}).json()
    assert "search_text" not in body and "workspace" not in body


def test_a_known_email_is_a_conflict_naming_the_existing_lead(api, lead):
    response = post(api, "/leads", {"email": lead.email.upper(), "first_name": "Dup"})
    assert response.status_code == 409
    assert response.json()["existing_id"] == lead.pk
    assert Lead.objects.count() == 1


def test_a_known_linkedin_url_is_a_conflict_too(api):
    first = post(api, "/leads", {"linkedin_url": "linkedin.com/in/bob"}).json()
    response = post(api, "/leads", {"linkedin_url": "https://m.linkedin.com/in/Bob#top"})
    assert response.status_code == 409
    assert response.json()["existing_id"] == first["id"]


def test_on_conflict_return_gives_back_the_existing_lead_unchanged(api, lead):
    response = post(
        api, "/leads?on_conflict=return", {"email": lead.email, "first_name": "Someone else"}
    )
    assert response.status_code == 200
    assert response.json()["id"] == lead.pk
    assert response.json()["first_name"] == lead.first_name
    assert Lead.objects.count() == 1


def test_on_conflict_return_creates_a_new_lead_with_201(api):
    response = post(api, "/leads?on_conflict=return", {"email": "new@initech.io"})
    assert response.status_code == 201
    again = post(api, "/leads?on_conflict=return", {"email": "new@initech.io"})
    assert again.status_code == 200
    assert again.json()["id"] == response.json()["id"]


def test_it_refuses_an_unknown_on_conflict_policy(api):
    response = post(api, "/leads?on_conflict=merge", {"email": "new@initech.io"})
    assert response.status_code == 422
    assert "on_conflict" in response.json()["errors"]


def test_the_same_person_may_be_a_lead_of_another_workspace(api, foreign_lead):
    assert post(api, "/leads", {"email": foreign_lead.email}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@initech.io", "emial": "typo"}, "emial"),
        ({"email": "not-an-email"}, "email"),
        ({"linkedin_url": "https://example.com/in/bob"}, "linkedin_url"),
        ({"linkedin_url": "https://www.linkedin.com/sales/lead/123"}, "linkedin_url"),
        ({"first_name": "Nobody"}, "email"),
        ({"email": "a@initech.io", "timezone": "Mars/Base"}, "timezone"),
        ({"email": "a@initech.io", "email_status": "great"}, "email_status"),
        ({"email": "a@initech.io", "slots": {"slot9": "x"}}, "slots"),
        ({"email": "a@initech.io", "first_name": "x" * 101}, "first_name"),
        ({"email": "a@initech.io", "owner_id": 999_999}, "owner_id"),
        ({"email": "a@initech.io", "company_id": 999_999}, "company_id"),
        ({"email": "a@initech.io", "referred_by_id": 999_999}, "referred_by_id"),
        ({"email": "a@initech.io", "custom_fields": {"nope": 1}}, "custom_fields.nope"),
        ({"email": "a@initech.io", "custom_fields": {"nope": [1]}}, "custom_fields"),
    ],
)
def test_it_names_the_field_at_fault(api, workspace, body, field):
    response = post(api, "/leads", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert Lead.objects.count() == 0


def test_it_reports_every_bad_field_at_once(api):
    response = post(api, "/leads", {"email": "nope", "linkedin_url": "nope.com/x"})
    assert set(response.json()["errors"]) == {"email", "linkedin_url"}


def test_it_checks_custom_field_values_against_their_definition(api, workspace):
    custom_field_define(workspace=workspace, key="budget", label="Budget", field_type="number")
    bad = post(api, "/leads", {"email": "a@initech.io", "custom_fields": {"budget": "lots"}})
    assert bad.status_code == 422
    assert "Budget" in bad.json()["errors"]["custom_fields.budget"][0]
    good = post(api, "/leads", {"email": "a@initech.io", "custom_fields": {"budget": "12,000"}})
    assert good.status_code == 201
    assert good.json()["custom_fields"] == {"budget": 12000}


def test_a_lead_cannot_be_owned_by_someone_outside_the_workspace(api, stranger):
    response = post(api, "/leads", {"email": "a@initech.io", "owner_id": stranger.pk})
    assert response.status_code == 422
    assert "owner_id" in response.json()["errors"]


def test_a_lead_cannot_join_another_workspaces_company(api, other_workspace):
    company = Company.objects.create(workspace=other_workspace, name="Globex", domain="globex.test")
    response = post(api, "/leads", {"email": "a@initech.io", "company_id": company.pk})
    assert response.status_code == 422
    assert "company_id" in response.json()["errors"]
