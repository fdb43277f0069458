"""/lists: lead lists, their size limits, and adding or removing many leads at once."""

from __future__ import annotations

from crm.models import Activity, ActivityKind, LeadList
from tests.factories import LeadFactory, LeadListFactory

from .calls import delete, get, patch, post


def test_a_target_accounts_list_holds_40_by_default(api):
    response = post(api, "/lists", {"name": "Q3 targets", "kind": "target_accounts"})
    assert response.status_code == 201
    assert response.json()["size_limit"] == 40
    assert response.json()["lead_count"] == 0


def test_a_list_name_is_unique_in_any_case(api, workspace):
    LeadListFactory(workspace=workspace, name="Dream 100")
    assert post(api, "/lists", {"name": "dream 100"}).status_code == 409


def test_it_names_the_field_at_fault(api):
    response = post(api, "/lists", {"name": "X", "kind": "vip"})
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]
    assert "size_limit" in post(api, "/lists", {"name": "X", "size_limit": 0}).json()["errors"]
    assert "name" in post(api, "/lists", {"name": "  "}).json()["errors"]


def test_it_adds_and_removes_many_leads_at_once(api, workspace, owner):
    lead_list = LeadListFactory(workspace=workspace)
    leads = [LeadFactory(workspace=workspace) for _ in range(3)]
    ids = [lead.pk for lead in leads]
    response = post(api, f"/lists/{lead_list.pk}/leads", {"lead_ids": ids})
    assert response.json() == {"changed": 3}
    assert post(api, f"/lists/{lead_list.pk}/leads", {"lead_ids": ids}).json() == {"changed": 0}
    assert get(api, f"/lists/{lead_list.pk}").json()["lead_count"] == 3
    added = Activity.objects.filter(kind=ActivityKind.LIST_ADDED)
    assert added.count() == 3 and added.first().actor_user == owner
    response = post(api, f"/lists/{lead_list.pk}/leads/remove", {"lead_ids": ids[:2]})
    assert response.json() == {"changed": 2}
    assert list(lead_list.leads.values_list("pk", flat=True)) == [ids[2]]


def test_it_refuses_a_41st_lead_on_a_target_accounts_list(api, workspace):
    lead_list = post(api, "/lists", {"name": "Targets", "kind": "target_accounts"}).json()
    leads = [LeadFactory(workspace=workspace) for _ in range(41)]
    first_40 = {"lead_ids": [lead.pk for lead in leads[:40]]}
    assert post(api, f"/lists/{lead_list['id']}/leads", first_40).json() == {"changed": 40}
    response = post(api, f"/lists/{lead_list['id']}/leads", {"lead_ids": [leads[40].pk]})
    assert response.status_code == 409
    assert "lead_ids" in response.json()["errors"]
    assert LeadList.objects.get(pk=lead_list["id"]).memberships.count() == 40


def test_another_workspaces_leads_are_not_added(api, workspace, foreign_lead):
    lead_list = LeadListFactory(workspace=workspace)
    response = post(api, f"/lists/{lead_list.pk}/leads", {"lead_ids": [foreign_lead.pk]})
    assert response.json() == {"changed": 0}


def test_lead_ids_must_be_a_non_empty_list_of_ids(api, workspace):
    lead_list = LeadListFactory(workspace=workspace)
    for body in ({"lead_ids": []}, {"lead_ids": ["x"]}, {"lead_ids": 5}, {}):
        response = post(api, f"/lists/{lead_list.pk}/leads", body)
        assert response.status_code == 422, body
        assert any(field.startswith("lead_ids") for field in response.json()["errors"])
    too_many = {"lead_ids": list(range(1, 1002))}
    assert post(api, f"/lists/{lead_list.pk}/leads", too_many).status_code == 422


def test_it_lists_shows_changes_and_deletes_lists(api, workspace, other_workspace):
    lead_list = LeadListFactory(workspace=workspace, name="Influencers")
    LeadListFactory(workspace=other_workspace)
    assert [item["id"] for item in get(api, "/lists").json()] == [lead_list.pk]
    response = patch(api, f"/lists/{lead_list.pk}", {"description": "People with reach"})
    assert response.json()["description"] == "People with reach"
    assert response.json()["name"] == "Influencers"
    assert delete(api, f"/lists/{lead_list.pk}").status_code == 204
    assert get(api, f"/lists/{lead_list.pk}").status_code == 404


def test_a_limit_below_the_lists_size_is_refused(api, workspace):
    lead_list = LeadListFactory(workspace=workspace)
    lead_list.leads.add(*(LeadFactory(workspace=workspace) for _ in range(3)))
    response = patch(api, f"/lists/{lead_list.pk}", {"size_limit": 2})
    assert response.status_code == 422
    assert "size_limit" in response.json()["errors"]


def test_another_workspaces_list_is_not_found(api, other_workspace, lead):
    lead_list = LeadListFactory(workspace=other_workspace)
    assert get(api, f"/lists/{lead_list.pk}").status_code == 404
    assert patch(api, f"/lists/{lead_list.pk}", {"name": "Mine"}).status_code == 404
    assert post(api, f"/lists/{lead_list.pk}/leads", {"lead_ids": [lead.pk]}).status_code == 404
    remove = post(api, f"/lists/{lead_list.pk}/leads/remove", {"lead_ids": [lead.pk]})
    assert remove.status_code == 404
    assert delete(api, f"/lists/{lead_list.pk}").status_code == 404
    assert not lead_list.leads.exists()
