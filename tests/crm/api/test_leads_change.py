"""GET, PATCH and DELETE /leads/{id}: one lead of the key's workspace."""

from __future__ import annotations

import pytest

from crm.models import Activity, ActivityKind, Lead
from crm.services.custom_fields import custom_field_define
from tests.factories import LeadFactory, LeadListFactory, TagFactory

from .calls import delete, get, patch


def test_it_shows_a_lead_with_its_tags_and_lists(api, workspace, lead):
    tag = TagFactory(workspace=workspace, name="hot")
    lead_list = LeadListFactory(workspace=workspace)
    lead.tags.add(tag)
    lead.lists.add(lead_list)
    body = get(api, f"/leads/{lead.pk}").json()
    assert body["id"] == lead.pk
    assert body["tags"] == [{"id": tag.pk, "name": "hot", "color": "slate"}]
    assert body["list_ids"] == [lead_list.pk]


def test_another_workspaces_lead_is_not_found(api, foreign_lead):
    assert get(api, f"/leads/{foreign_lead.pk}").status_code == 404
    assert patch(api, f"/leads/{foreign_lead.pk}", {"title": "CTO"}).status_code == 404
    assert delete(api, f"/leads/{foreign_lead.pk}").status_code == 404
    foreign_lead.refresh_from_db()
    assert foreign_lead.title == "Head of Sales"


def test_a_missing_lead_is_not_found(api, workspace):
    response = get(api, "/leads/424242")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_patch_changes_only_the_fields_sent(api, lead):
    before = get(api, f"/leads/{lead.pk}").json()
    response = patch(api, f"/leads/{lead.pk}", {"title": "VP Sales"})
    assert response.status_code == 200
    after = response.json()
    assert after["title"] == "VP Sales"
    for field in ("first_name", "last_name", "email", "country"):
        assert after[field] == before[field]
    entry = Activity.objects.get(lead=lead, kind=ActivityKind.UPDATED)
    assert entry.payload["fields"] == ["title"]


def test_patch_null_clears_a_field(api, lead):
    patch(api, f"/leads/{lead.pk}", {"linkedin_url": "linkedin.com/in/x"})
    response = patch(api, f"/leads/{lead.pk}", {"linkedin_url": None})
    assert response.status_code == 200
    assert response.json()["linkedin_url"] is None


def test_patch_refuses_to_remove_the_last_identity(api, lead):
    response = patch(api, f"/leads/{lead.pk}", {"email": None})
    assert response.status_code == 422
    assert "email" in response.json()["errors"]


def test_patch_to_a_known_email_is_a_conflict(api, workspace, lead):
    other = LeadFactory(workspace=workspace)
    response = patch(api, f"/leads/{lead.pk}", {"email": other.email})
    assert response.status_code == 409
    lead.refresh_from_db()
    assert lead.email != other.email


def test_patch_merges_custom_fields(api, workspace, lead):
    custom_field_define(workspace=workspace, key="budget", label="Budget", field_type="number")
    custom_field_define(workspace=workspace, key="stack", label="Stack")
    patch(api, f"/leads/{lead.pk}", {"custom_fields": {"budget": 5, "stack": "Django"}})
    response = patch(api, f"/leads/{lead.pk}", {"custom_fields": {"budget": None}})
    assert response.json()["custom_fields"] == {"stack": "Django"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"titel": "CTO"}, "titel"),
        ({"email": "nope"}, "email"),
        ({"linkedin_url": "twitter.com/bob"}, "linkedin_url"),
        ({"company_name": "Initech"}, "company_name"),
        ({"do_not_contact": "perhaps"}, "do_not_contact"),
    ],
)
def test_patch_names_the_field_at_fault(api, lead, body, field):
    response = patch(api, f"/leads/{lead.pk}", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_patch_refuses_a_lead_referring_itself(api, lead):
    response = patch(api, f"/leads/{lead.pk}", {"referred_by_id": lead.pk})
    assert response.status_code == 422
    assert "referred_by_id" in response.json()["errors"]


def test_delete_removes_the_lead(api, lead):
    response = delete(api, f"/leads/{lead.pk}")
    assert response.status_code == 204
    assert not Lead.objects.filter(pk=lead.pk).exists()
    assert get(api, f"/leads/{lead.pk}").status_code == 404
