"""Bulk actions on ticked leads: add to list (with its size limit), tag, remove from list."""

from __future__ import annotations

from django.contrib.messages import get_messages

from crm.models import ListMembership
from crm.services.lists import list_add_leads
from tests.factories import LeadFactory, LeadListFactory

URL = "/w/acme/leads/bulk/"


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_it_adds_ticked_leads_to_a_list(web, workspace):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    lead_list = LeadListFactory(workspace=workspace, name="Q4")
    response = web.post(
        URL,
        {
            "action": "add_to_list",
            "list_id": lead_list.pk,
            "lead_ids": [x.pk for x in leads],
            "next": "/w/acme/leads/?q=x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/w/acme/leads/?q=x"
    assert lead_list.memberships.count() == 3
    assert flash(response) == ["Added 3 leads to “Q4”."]


def test_it_says_why_when_the_list_is_full(web, workspace, actor):
    lead_list = LeadListFactory(workspace=workspace, name="Target accounts", size_limit=2)
    list_add_leads(
        lead_list=lead_list,
        lead_ids=[x.pk for x in LeadFactory.create_batch(2, workspace=workspace)],
        actor=actor,
    )
    extra = LeadFactory(workspace=workspace)
    response = web.post(
        URL, {"action": "add_to_list", "list_id": lead_list.pk, "lead_ids": [extra.pk]}, follow=True
    )
    html = response.content.decode()
    assert "holds at most 2 leads" in html
    assert "flash-error" in html
    assert lead_list.memberships.count() == 2


def test_it_tags_ticked_leads_creating_the_tag(web, workspace):
    leads = LeadFactory.create_batch(2, workspace=workspace)
    response = web.post(
        URL, {"action": "tag", "tag_name": "Hot", "lead_ids": [x.pk for x in leads]}
    )
    assert flash(response) == ["Tagged 2 leads “Hot”."]
    assert all(x.tags.filter(name="Hot").exists() for x in leads)


def test_it_refuses_a_tag_without_a_name(web, workspace):
    lead = LeadFactory(workspace=workspace)
    response = web.post(URL, {"action": "tag", "tag_name": " ", "lead_ids": [lead.pk]})
    assert flash(response) == ["A tag needs a name."]


def test_it_asks_to_tick_leads_first(web, workspace):
    response = web.post(URL, {"action": "tag", "tag_name": "x"})
    assert flash(response) == ["Tick at least one lead first."]


def test_it_removes_leads_from_a_list(web, workspace, actor):
    lead = LeadFactory(workspace=workspace)
    lead_list = LeadListFactory(workspace=workspace)
    list_add_leads(lead_list=lead_list, lead_ids=[lead.pk], actor=actor)
    web.post(URL, {"action": "remove_from_list", "list_id": lead_list.pk, "lead_ids": [lead.pk]})
    assert not ListMembership.objects.filter(lead_list=lead_list).exists()


def test_it_cannot_add_to_another_workspaces_list(web, workspace, other_workspace):
    lead = LeadFactory(workspace=workspace)
    foreign_list = LeadListFactory(workspace=other_workspace)
    response = web.post(
        URL, {"action": "add_to_list", "list_id": foreign_list.pk, "lead_ids": [lead.pk]}
    )
    assert response.status_code == 404
    assert not foreign_list.memberships.exists()


def test_it_ignores_ticked_ids_of_another_workspace(web, workspace, foreign_lead):
    lead_list = LeadListFactory(workspace=workspace)
    web.post(URL, {"action": "add_to_list", "list_id": lead_list.pk, "lead_ids": [foreign_lead.pk]})
    assert not lead_list.memberships.exists()


def test_it_does_not_redirect_off_site(web, workspace):
    lead = LeadFactory(workspace=workspace)
    response = web.post(
        URL,
        {"action": "tag", "tag_name": "x", "lead_ids": [lead.pk], "next": "https://evil.example/"},
    )
    assert response["Location"] == "/w/acme/leads/"
