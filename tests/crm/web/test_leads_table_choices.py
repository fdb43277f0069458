"""The leads table a person makes their own: the column chooser, saved views, the last-activity
column, and bulk actions on "all N matching" (inline, or a background job beyond a few thousand)."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from crm.models import LeadTableLayout, LeadView
from crm.services.activities import note_add
from crm.web import bulk
from tests.factories import LeadFactory, LeadListFactory

LEADS = "/w/acme/leads/"


def headers(html: str) -> list[str]:
    return re.findall(r'<th class="[^"]*" data-column="([a-z_]+)"', html)


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def member_web(member):
    """Mark, another member of Acme, in a browser of his own."""
    client = Client()
    client.force_login(member)
    return client


def test_the_column_chooser_is_remembered_for_the_person_only(web, member_web, workspace, lead):
    default = headers(web.get(LEADS).content.decode())
    assert "email" in default and "title" not in default

    web.post(f"{LEADS}columns/", {"columns": ["title", "company", "stage"], "next": LEADS})
    mine = headers(web.get(LEADS).content.decode())
    assert mine == ["name", "company", "stage", "title"]  # the name always, in registry order
    assert headers(member_web.get(LEADS).content.decode()) == default

    web.post(f"{LEADS}columns/", {"reset": "1", "columns": ["title"]})
    assert headers(web.get(LEADS).content.decode()) == default
    assert LeadTableLayout.objects.get().columns == []


def test_a_column_no_app_registers_any_more_is_ignored(web, workspace, owner, lead):
    LeadTableLayout.objects.create(workspace=workspace, user=owner, columns=["gone", "email"])
    assert headers(web.get(LEADS).content.decode()) == ["name", "email"]


def test_a_saved_view_keeps_filters_columns_and_sort(web, workspace):
    LeadFactory(workspace=workspace, first_name="Ada", last_name="Lovelace", country="UK")
    LeadFactory(workspace=workspace, first_name="Alan", last_name="Turing", country="UK")
    LeadFactory(workspace=workspace, first_name="Grace", last_name="Hopper", country="US")
    response = web.post(
        f"{LEADS}views/",
        {
            "name": "  British   pioneers ",
            "query": "country=UK",
            "sort": "-last_name",
            "columns": ["location", "title"],
        },
    )
    view = LeadView.objects.get()
    assert view.name == "British pioneers"
    assert response["Location"] == f"{LEADS}?country=UK&sort=-last_name&view={view.pk}"

    html = web.get(response["Location"]).content.decode()
    assert re.findall(r'href="/w/acme/leads/\d+/">([^<]+)</a>', html) == [
        "Alan Turing",
        "Ada Lovelace",
    ]
    assert headers(html) == ["name", "location", "title"]
    assert "View: British pioneers" in html
    assert web.get(f"{LEADS}views/{view.pk}/")["Location"] == response["Location"]

    # Saving under the same name replaces the view.
    web.post(f"{LEADS}views/", {"name": "British pioneers", "query": "country=US"})
    assert LeadView.objects.get().query == "country=US"


def test_a_view_needs_a_name_and_belongs_to_its_person(web, member_web, workspace, owner):
    nameless = web.post(f"{LEADS}views/", {"name": " ", "query": ""}, follow=True)
    assert "A view needs a name." in nameless.content.decode()
    view = LeadView.objects.create(workspace=workspace, user=owner, name="Mine", query="")
    assert member_web.get(f"{LEADS}views/{view.pk}/").status_code == 404
    assert member_web.get(LEADS, {"view": view.pk}).status_code == 404
    assert member_web.post(f"{LEADS}views/{view.pk}/delete/").status_code == 404
    web.post(f"{LEADS}views/{view.pk}/delete/")
    assert not LeadView.objects.exists()


def test_the_last_activity_column_shows_the_latest_timeline_entry(web, workspace, actor):
    LeadFactory(workspace=workspace, first_name="Quinn", last_name="Quiet")
    busy = LeadFactory(workspace=workspace, first_name="Bea", last_name="Busy")
    note_add(lead=busy, actor=actor, body="Called, call back Monday")
    html = web.get(LEADS).content.decode()
    assert 'data-column="last_activity_at">Last activity</th>' in html
    cells = dict(
        re.findall(
            r'data-select-row aria-label="Select ([^"]+)">'
            r'.*?data-cell="last_activity_at">(.*?)</td>',
            html,
            re.S,
        )
    )
    assert "ago" in cells["Bea Busy"] or "now" in cells["Bea Busy"]
    assert cells["Quinn Quiet"].strip() == '<span class="faint">—</span>'


def test_select_all_matching_acts_on_every_page_of_the_filter(web, workspace):
    lead_list = LeadListFactory(workspace=workspace, name="Sweden")
    swedes = LeadFactory.create_batch(60, workspace=workspace, country="Sweden")
    LeadFactory.create_batch(3, workspace=workspace, country="Norway")
    table = web.get(LEADS, {"country": "Sweden"}).content.decode()
    assert "Select all 60 matching" in table  # more than one page of 50
    assert 'name="query" value="country=Sweden"' in table

    response = web.post(
        f"{LEADS}bulk/",
        {"action": "add_to_list", "list_id": lead_list.pk, "select_all": "1",
         "query": "country=Sweden", "lead_ids": [swedes[0].pk]},
    )  # fmt: skip
    assert flash(response) == ["Added 60 leads to “Sweden”."]
    assert lead_list.memberships.count() == 60


def test_select_all_on_a_lists_page_stays_within_the_list(web, workspace, actor):
    from crm.services.lists import list_add_leads

    lead_list = LeadListFactory(workspace=workspace)
    inside = LeadFactory.create_batch(3, workspace=workspace)
    LeadFactory.create_batch(2, workspace=workspace)
    list_add_leads(lead_list=lead_list, lead_ids=[x.pk for x in inside], actor=actor)
    response = web.post(
        f"{LEADS}bulk/",
        {"action": "tag", "tag_name": "Listed", "select_all": "1", "query": "",
         "scope_list": lead_list.pk},
    )  # fmt: skip
    assert flash(response) == ["Tagged 3 leads “Listed”."]


def test_beyond_the_inline_limit_the_rest_runs_as_a_background_job(
    web, workspace, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bulk, "INLINE_MAX", 10)
    monkeypatch.setattr(bulk, "CHUNK", 4)
    monkeypatch.setattr("crm.web.views.leads.INLINE_MAX", 10)
    LeadFactory.create_batch(25, workspace=workspace, country="Sweden")
    LeadFactory.create_batch(2, workspace=workspace, country="Norway")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = web.post(
            f"{LEADS}bulk/",
            {"action": "tag", "tag_name": "Nordic", "select_all": "1", "query": "country=Sweden"},
        )
    assert len(callbacks) == 1  # one job enqueued after the first chunk's commit
    assert flash(response) == [
        "“Tag” runs on all 25 matching leads: Tagged 4 leads “Nordic”. "
        "The other 21 follow in the background."
    ]
    tagged = workspace.leads.filter(tags__name="Nordic")
    assert tagged.count() == 25  # the job ran (eagerly in tests) over the other chunks
    assert not tagged.filter(country="Norway").exists()


def test_a_refused_input_is_said_before_any_job_starts(
    web, workspace, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("crm.web.views.leads.INLINE_MAX", 2)
    LeadFactory.create_batch(5, workspace=workspace)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = web.post(
            f"{LEADS}bulk/", {"action": "add_to_list", "select_all": "1", "query": ""}
        )
    assert flash(response) == ["Choose a list first."]
    assert callbacks == []
