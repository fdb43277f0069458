"""What the feed adds to crm's pages: the "last posted" column and filter, active leads per
list, and the lead's recent posts for outreach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from crm.models import ListMembership
from outreach import hooks
from tests.factories import LeadFactory, LeadListFactory
from tests.integrations.feed.engagement_data import make_post

pytestmark = pytest.mark.django_db


def test_the_last_posted_column_can_be_chosen(web, workspace):
    active = LeadFactory(workspace=workspace, first_name="Active")
    make_post(lead=active, hours_ago=50)
    web.post("/w/acme/leads/columns/", {"columns": ["last_posted"]})
    page = web.get("/w/acme/leads/").content.decode()
    assert "Last posted" in page
    assert 'data-cell="last_posted"><time' in page


def test_the_posted_filter_keeps_leads_who_posted_in_30_days(web, workspace):
    recent = LeadFactory(workspace=workspace, first_name="Recentposter")
    old = LeadFactory(workspace=workspace, first_name="Oldposter")
    LeadFactory(workspace=workspace, first_name="Neverposter")
    make_post(lead=recent, hours_ago=24 * 3)
    make_post(lead=old, posted_at=timezone.now() - dt.timedelta(days=45))
    page = web.get("/w/acme/leads/", {"posted": "recent"}).content.decode()
    assert "Recentposter" in page
    assert "Oldposter" not in page and "Neverposter" not in page


def test_the_lists_page_counts_active_leads(web, workspace):
    lead_list = LeadListFactory(workspace=workspace, name="Dream")
    for n in range(3):
        lead = LeadFactory(workspace=workspace)
        ListMembership.objects.create(lead_list=lead_list, lead=lead)
        if n < 2:
            make_post(lead=lead)
    response = web.get("/w/acme/lists/")
    assert "Active (posted in 30 days)" in response.content.decode()
    shown = next(x for x in response.context["lists"] if x.pk == lead_list.pk)
    values = [f.value for f in shown.figures if f.column.key == "active_leads"]
    assert values == [2]


def test_outreach_gets_the_leads_recent_posts(lead):
    make_post(lead=lead, text="older", hours_ago=5)
    make_post(lead=lead, text="newer", hours_ago=1)
    assert [p.text for p in hooks.recent_posts(lead, 2)] == ["newer", "older"]
