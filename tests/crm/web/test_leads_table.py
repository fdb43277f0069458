"""The leads table: search, filters, sort, keyset pages, counts, and HTMX fragments."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from crm.services.lists import list_add_leads
from tests.factories import CompanyFactory, LeadFactory, LeadListFactory

URL = "/w/acme/leads/"


def names(response) -> list[str]:
    return re.findall(r'href="/w/acme/leads/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def people(workspace):
    return [
        LeadFactory(workspace=workspace, first_name="Ada", last_name="Lovelace", country="UK"),
        LeadFactory(workspace=workspace, first_name="Grace", last_name="Hopper", country="US"),
        LeadFactory(workspace=workspace, first_name="Alan", last_name="Turing", country="UK"),
    ]


def test_it_searches_by_name(web, people):
    response = web.get(URL, {"q": "hopper"})
    assert names(response) == ["Grace Hopper"]
    assert "1</strong> lead" in response.content.decode()


def test_live_search_returns_only_the_results_fragment(web, people):
    response = web.get(URL, {"q": "ada"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert names(response) == ["Ada Lovelace"]
    assert 'class="sidebar"' not in html
    assert 'id="leads-table"' in html


def test_a_history_restore_gets_the_whole_page(web, people):
    response = web.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert 'class="sidebar"' in response.content.decode()


def test_it_filters_by_country_list_and_company(web, workspace, actor, people):
    assert sorted(names(web.get(URL, {"country": "uk"}))) == ["Ada Lovelace", "Alan Turing"]
    lead_list = LeadListFactory(workspace=workspace)
    list_add_leads(lead_list=lead_list, lead_ids=[people[1].pk], actor=actor)
    assert names(web.get(URL, {"list": lead_list.pk})) == ["Grace Hopper"]
    company = CompanyFactory(workspace=workspace)
    people[2].company = company
    people[2].save()
    assert names(web.get(URL, {"company": company.pk})) == ["Alan Turing"]


def test_it_ignores_filter_values_that_make_no_sense(web, people):
    response = web.get(URL, {"list": "abc", "created_after": "yesterday", "sort": "drop table"})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_it_sorts_by_last_name_both_ways(web, people):
    assert names(web.get(URL, {"sort": "last_name"})) == [
        "Grace Hopper",
        "Ada Lovelace",
        "Alan Turing",
    ]
    assert names(web.get(URL, {"sort": "-last_name"}))[0] == "Alan Turing"


def test_it_pages_forward_and_back_with_cursors(web, workspace, monkeypatch):
    monkeypatch.setattr("crm.web.views.leads_table.PAGE_SIZE", 2)
    for i in range(5):
        LeadFactory(workspace=workspace, first_name="P", last_name=f"Person{i}")
    first = web.get(URL, {"sort": "last_name"})
    assert names(first) == ["P Person0", "P Person1"]
    next_url = re.search(
        r'href="(\?[^"]*cursor=[^"]*)" hx-get="[^"]*" [^>]*rel="next"', first.content.decode()
    )
    second = web.get(URL + next_url.group(1).replace("&amp;", "&"))
    assert names(second) == ["P Person2", "P Person3"]
    assert "showing 3–4" in second.content.decode()
    html = second.content.decode()
    next_url = re.search(r'href="(\?[^"]*)" hx-get="[^"]*" [^>]*rel="next"', html).group(1)
    third = web.get(URL + next_url.replace("&amp;", "&"))
    assert names(third) == ["P Person4"]
    prev_url = re.search(
        r'href="(\?[^"]*)" hx-get="[^"]*" [^>]*rel="prev"', third.content.decode()
    ).group(1)
    back = web.get(URL + prev_url.replace("&amp;", "&"))
    assert names(back) == ["P Person2", "P Person3"]
    prev_url = re.search(
        r'href="(\?[^"]*)" hx-get="[^"]*" [^>]*rel="prev"', back.content.decode()
    ).group(1)
    assert names(web.get(URL + prev_url.replace("&amp;", "&"))) == ["P Person0", "P Person1"]


def test_a_mangled_cursor_starts_again_from_the_first_page(web, people):
    response = web.get(URL, {"cursor": "not-a-cursor", "trail": "0"})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_it_shows_a_capped_count_as_10000_plus(web, people, monkeypatch):
    monkeypatch.setattr("crm.web.views.leads_table.leads_count", lambda **kw: (10_000, True))
    assert "10,000+</strong> leads" in web.get(URL).content.decode()


def test_it_shows_an_empty_state_when_nothing_matches(web, people):
    assert "No leads match" in web.get(URL, {"q": "zzzz"}).content.decode()


def test_it_never_lists_another_workspaces_leads(web, people, foreign_lead):
    assert foreign_lead.email not in web.get(URL).content.decode()
    assert names(web.get(URL, {"q": foreign_lead.email})) == []


def test_a_list_page_is_the_table_filtered_by_the_list(web, workspace, actor, people):
    lead_list = LeadListFactory(workspace=workspace, name="Dream 100", size_limit=100)
    list_add_leads(lead_list=lead_list, lead_ids=[people[0].pk], actor=actor)
    response = web.get(reverse("crm:list", kwargs={"ws": "acme", "list_id": lead_list.pk}))
    assert names(response) == ["Ada Lovelace"]
    assert "Remove from list" in response.content.decode()
