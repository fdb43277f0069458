"""Every page renders for a member, with the layout, and with demo-like data in it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.services.activities import note_add
from crm.services.lists import list_add_leads
from crm.services.tasks import task_create
from tests.factories import CompanyFactory, LeadFactory, LeadListFactory, TagFactory


@pytest.fixture
def data(workspace, actor, lead):
    company = CompanyFactory(workspace=workspace, name="Northwind")
    lead.company = company
    lead.save()
    lead_list = LeadListFactory(workspace=workspace, name="Dream 100", size_limit=100)
    list_add_leads(lead_list=lead_list, lead_ids=[lead.pk], actor=actor)
    TagFactory(workspace=workspace, name="hot")
    task_create(workspace=workspace, actor=actor, data={"title": "Call back"}, lead=lead)
    note_add(lead=lead, body="Met at SaaStr", actor=actor)
    return {"company": company, "list": lead_list, "lead": lead}


PAGES = [
    ("crm:dashboard", {}),
    ("crm:leads", {}),
    ("crm:lead_new", {}),
    ("crm:lead", {"lead_id": "lead"}),
    ("crm:lead_edit", {"lead_id": "lead"}),
    ("crm:companies", {}),
    ("crm:company_new", {}),
    ("crm:company", {"company_id": "company"}),
    ("crm:lists", {}),
    ("crm:list_new", {}),
    ("crm:list", {"list_id": "list"}),
    ("crm:tasks", {}),
    ("crm:settings", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_it_renders_every_page_for_a_member(web, workspace, data, name, kwargs):
    resolved = {k: data[v].pk for k, v in kwargs.items()}
    response = web.get(reverse(name, kwargs={"ws": workspace.slug, **resolved}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="sidebar"' in html
    assert "htmx.min.js" in html
    assert "X-CSRFToken" in html


def test_it_shows_the_leads_in_the_table(web, workspace, data):
    LeadFactory(workspace=workspace, first_name="Zanele", last_name="Okafor")
    response = web.get(reverse("crm:leads", kwargs={"ws": "acme"}))
    assert "Zanele Okafor" in response.content.decode()
