"""An account manager records the two referrals a happy customer gave."""

from __future__ import annotations

import pytest

from crm.models import Lead
from pipelines.models import PipelineEntry
from pipelines.services import rule_customer_paid
from tests.factories import LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_two_referrals_from_the_lead_panel(logged_in_page, live_server, workspace, actor):
    page = logged_in_page
    customer = LeadFactory(workspace=workspace, first_name="Carla", last_name="Customer")
    rule_customer_paid(lead=customer, actor=actor, amount_minor=490_00, currency="EUR")
    page.goto(f"{live_server.url}/w/acme/pipeline/leads/{customer.pk}/")
    assert "Customer" in page.locator("#pl-lead-panel [data-stage]").inner_text()

    page.get_by_label("Name of person 1").fill("Ada Lovelace")
    page.get_by_label("Email of person 1").fill("ada@engines.test")
    page.get_by_label("Name of person 2").fill("Alan Turing")
    page.get_by_label("LinkedIn URL of person 2").fill("https://www.linkedin.com/in/alan-turing")
    page.get_by_role("button", name="Record referrals").click()

    panel = page.locator("#pl-lead-panel")
    panel.get_by_text("Recorded 2 referrals.").wait_for()
    assert panel.locator(".pl-referrals li").count() == 2
    referred = Lead.objects.filter(referred_by=customer).order_by("first_name")
    assert [p.first_name for p in referred] == ["Ada", "Alan"]
    for person in referred:
        assert PipelineEntry.objects.get(lead=person).stage.name == "Warm"

    # The referred person's page says who referred them.
    page.goto(f"{live_server.url}/w/acme/pipeline/leads/{referred[0].pk}/")
    assert "Referred by Carla Customer" in page.locator("#pl-lead-panel").inner_text()
