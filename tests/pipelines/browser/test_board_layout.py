"""The board's density and its keyboard and phone use: no form on every card, a dozen cards a
column at 1440×900, Alt+←/→ moves, and one column at a time on a phone."""

from __future__ import annotations

import pytest

from pipelines.models import PipelineEntry
from pipelines.services import entries_place_new_leads, pipeline_create_default
from tests.factories import CompanyFactory, LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_column(workspace, actor, owner):
    pipeline = pipeline_create_default(workspace=workspace)
    company = CompanyFactory(workspace=workspace, name="Initech")
    leads = [
        LeadFactory(
            workspace=workspace,
            first_name=f"Lead{n:02d}",
            last_name="Example",
            title="Head of Sales",
            company=company,
            owner=owner,
        )
        for n in range(16)
    ]
    entries_place_new_leads(workspace=workspace, lead_ids=[x.pk for x in leads], actor=actor)
    return {s.name: s for s in pipeline.stages.all()}, leads


def _visible_cards(page, stage) -> int:
    return page.evaluate(
        """(stageId) => {
          const list = document.querySelector(`.pl-cards[data-stage-id='${stageId}']`);
          const box = list.getBoundingClientRect();
          const bottom = Math.min(box.bottom, window.innerHeight);
          return [...list.querySelectorAll('.pl-card')].filter((c) => {
            const r = c.getBoundingClientRect();
            return r.top >= box.top - 1 && r.bottom <= bottom + 1;
          }).length;
        }""",
        stage.pk,
    )


def test_a_column_shows_at_least_ten_cards_at_1440_by_900(logged_in_page, live_server, full_column):
    page = logged_in_page
    stages, _ = full_column
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/w/acme/pipeline/")
    assert page.locator(".pl-card select, .pl-card form").count() == 0
    assert _visible_cards(page, stages["Cold"]) >= 10


def test_alt_arrows_move_the_focused_card(logged_in_page, live_server, full_column):
    page = logged_in_page
    stages, leads = full_column
    page.goto(f"{live_server.url}/w/acme/pipeline/")
    name = page.locator(".pl-card-name", has_text=str(leads[0]))
    name.focus()
    page.keyboard.press("Alt+ArrowRight")
    engaged = page.locator(f".pl-cards[data-stage-id='{stages['Engaged'].pk}']")
    engaged.locator(".pl-card", has_text=str(leads[0])).wait_for()
    page.keyboard.press("Alt+ArrowRight")
    warm = page.locator(f".pl-cards[data-stage-id='{stages['Warm'].pk}']")
    warm.locator(".pl-card", has_text=str(leads[0])).wait_for()
    assert PipelineEntry.objects.get(lead=leads[0]).stage == stages["Warm"]
    # The menu works from the keyboard too: open, arrow down, Enter.
    button = page.get_by_role("button", name=f"Move {leads[1]}")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_role("menu").wait_for()
    page.keyboard.press("ArrowDown")  # Cold is hidden: Engaged, then Warm
    page.keyboard.press("Enter")
    warm.locator(".pl-card", has_text=str(leads[1])).wait_for()
    assert PipelineEntry.objects.get(lead=leads[1]).stage == stages["Warm"]


def test_on_a_phone_one_column_fits_and_moves_work_by_tap(
    chromium, live_server, full_column, owner
):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(owner)
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        stages, leads = full_column
        page.goto(f"{live_server.url}/w/acme/pipeline/")
        # The page does not scroll sideways; the board does, a column at a time.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        column = page.locator(f".pl-column[data-stage-id='{stages['Cold'].pk}']")
        box = column.bounding_box()
        assert 280 <= box["width"] <= 390 and box["x"] >= 0
        assert _visible_cards(page, stages["Cold"]) >= 6
        page.get_by_role("button", name=f"Move {leads[2]}").tap()
        page.get_by_role("menuitem", name="Customer").tap()
        customer = page.locator(f".pl-column[data-stage-id='{stages['Customer'].pk}']")
        customer.locator(".pl-card", has_text=str(leads[2])).wait_for(state="attached")
        assert customer.locator("[data-count]").inner_text() == "1"
        assert PipelineEntry.objects.get(lead=leads[2]).stage == stages["Customer"]
    finally:
        context.close()
    assert not errors, errors
