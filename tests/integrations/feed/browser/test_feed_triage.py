"""An SDR's morning: five posts triaged with the keyboard, the lead moves to Engaged and the
daily goal fills up, without a reload."""

from __future__ import annotations

import pytest

from crm.models import ActivityKind
from integrations.feed.engagement_models import Engagement
from pipelines.models import PipelineEntry
from tests.factories import LeadFactory
from tests.integrations.feed.engagement_data import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_triaging_five_cards_with_the_keyboard(logged_in_page, live_server, workspace, owner):
    page = logged_in_page
    lead = LeadFactory(workspace=workspace, first_name="Tess", last_name="Triage")
    for n in range(5):
        make_post(lead=lead, text=f"Post number {n}", hours_ago=n + 1)
    page.goto(f"{live_server.url}/w/acme/feed/")
    cards = page.locator("#feed-cards .feed-card")
    assert cards.count() == 5
    goal = page.locator("#feed-goal")

    page.keyboard.press("j")
    assert "Post number 0" in page.locator(".feed-card.is-current").inner_text()
    page.keyboard.press("l")  # liked
    cards.first.filter(has_text="Post number 1").wait_for()
    assert cards.count() == 4
    goal.locator("[data-goal-engagements]").filter(has_text="1").wait_for()

    page.keyboard.press("c")  # commented, with a comment
    page.get_by_label("What you wrote (optional)").fill("Loved the part about pricing")
    page.get_by_role("button", name="Log comment").click()
    page.wait_for_function("document.querySelectorAll('#feed-cards .feed-card').length === 3")

    page.keyboard.press("n")  # connected
    page.wait_for_function("document.querySelectorAll('#feed-cards .feed-card').length === 2")
    page.keyboard.press("s")  # skipped: hidden, not counted
    page.wait_for_function("document.querySelectorAll('#feed-cards .feed-card').length === 1")
    assert "Post number 4" in page.locator(".feed-card.is-current").inner_text()
    page.keyboard.press("l")
    page.wait_for_function("document.querySelectorAll('#feed-cards .feed-card').length === 0")

    goal.locator("[data-goal-engagements]").filter(has_text="4").wait_for()
    assert goal.locator("[data-goal-comments]").inner_text() == "1"
    assert PipelineEntry.objects.get(lead=lead).stage.name == "Engaged"
    assert Engagement.objects.filter(user=owner).count() == 5
    comment = lead.activities.get(kind=ActivityKind.COMMENTED)
    assert comment.body == "Loved the part about pricing"

    # The feed is done for today; the dashboard's card shows the progress and the lead page
    # its new stage.
    page.goto(f"{live_server.url}/w/acme/")
    page.locator("#feed-goals-panel [data-goal-engagements]").filter(has_text="4 / 20").wait_for()
    page.goto(f"{live_server.url}/w/acme/leads/{lead.pk}/")
    page.locator("#pl-lead-panel [data-stage]").filter(has_text="Engaged").wait_for()


def test_e_opens_a_dm_draft_to_copy(logged_in_page, live_server, workspace):
    page = logged_in_page
    lead = LeadFactory(workspace=workspace, first_name="Dina", email="dina@example.test")
    make_post(lead=lead, text="Cold email is not dead")
    page.goto(f"{live_server.url}/w/acme/feed/")
    page.keyboard.press("j")
    page.keyboard.press("e")
    draft = page.locator("#feed-draft [data-draft-text]")
    draft.wait_for()
    assert "Hi Dina," in draft.input_value()
    assert "Cold email is not dead" in draft.input_value()
    page.get_by_role("button", name="Copy").click()
    assert "Hi Dina," in page.evaluate("navigator.clipboard.readText()")
    page.get_by_role("button", name="I sent it").click()
    page.wait_for_function("document.querySelectorAll('#feed-cards .feed-card').length === 0")
    assert lead.activities.filter(kind=ActivityKind.DM_SENT).exists()
