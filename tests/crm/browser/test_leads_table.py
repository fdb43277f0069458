"""The leads table in a real browser: the column chooser, a saved view, "select all N
matching", and rows that fill the page height."""

from __future__ import annotations

import pytest

from crm.models import LeadView
from tests.factories import LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_menu(page, selector: str) -> None:
    """Open a <details> menu; a click that lands while HTMX swaps the table is tried again."""
    menu = page.locator(selector)
    for _ in range(3):
        menu.locator("summary").click()
        try:
            page.wait_for_function(
                "s => document.querySelector(s).open", arg=selector, timeout=2_000
            )
            return
        except Exception:
            continue
    raise AssertionError(f"{selector} did not open")


def fill_in_menu(page, selector: str, field: str, value: str) -> None:
    """Open a menu and type in it; a table swap that lands meanwhile re-renders the menu closed
    (the filter's change and its submit each swap it), so open it again and retype."""
    for _ in range(3):
        open_menu(page, selector)
        try:
            page.fill(field, value, timeout=3_000)
            if page.locator(field).is_visible():
                return
        except Exception:
            continue
    raise AssertionError(f"could not type in {field}")


def header_labels(page) -> list[str]:
    return [t.strip() for t in page.locator("#leads-table thead th[data-column]").all_inner_texts()]


def test_the_column_chooser_shows_the_picked_columns_and_remembers_them(
    logged_in_page, live_server, workspace
):
    page = logged_in_page
    LeadFactory(workspace=workspace, first_name="Ada", last_name="Lovelace", title="Countess")
    page.goto(f"{live_server.url}/w/acme/leads/")
    assert "Email" in header_labels(page) and "Job title" not in header_labels(page)

    open_menu(page, "[data-column-chooser]")
    chooser = page.locator("[data-column-chooser] form")
    chooser.get_by_label("Email").uncheck()
    chooser.get_by_label("Job title").check()
    chooser.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()

    labels = header_labels(page)
    assert "Job title" in labels and "Email" not in labels
    assert "Countess" in page.locator("#leads-table tbody").inner_text()
    page.goto(f"{live_server.url}/w/acme/leads/")  # another visit: still my columns
    assert "Job title" in header_labels(page) and "Email" not in header_labels(page)


def test_a_saved_view_brings_back_its_filters(logged_in_page, live_server, workspace):
    page = logged_in_page
    LeadFactory(workspace=workspace, first_name="Ada", last_name="Lovelace", country="UK")
    LeadFactory(workspace=workspace, first_name="Grace", last_name="Hopper", country="US")
    page.goto(f"{live_server.url}/w/acme/leads/")
    page.locator("#lead-filters details summary").click()
    page.fill("#f-country", "UK")
    page.locator("#lead-filters").get_by_role("button", name="Apply").click()
    page.wait_for_function("document.querySelectorAll('#leads-table tbody tr').length === 1")
    page.wait_for_load_state("networkidle")  # the change and the submit each swap the table

    fill_in_menu(page, "[data-saved-views]", "#view-name", "British leads")
    page.get_by_role("button", name="Save view").click()
    page.wait_for_url("**view=*")
    assert LeadView.objects.get().query == "country=UK"

    page.goto(f"{live_server.url}/w/acme/leads/")
    assert page.locator("#leads-table tbody tr").count() == 2
    open_menu(page, "[data-saved-views]")
    page.get_by_role("link", name="British leads").click()
    page.wait_for_url("**country=UK**")
    rows = page.locator("#leads-table tbody tr")
    assert rows.count() == 1 and "Ada Lovelace" in rows.inner_text()
    assert "View: British leads" in page.locator("[data-saved-views] summary").inner_text()


def test_select_all_matching_tags_every_page_of_leads(logged_in_page, live_server, workspace):
    page = logged_in_page
    LeadFactory.create_batch(60, workspace=workspace, country="Sweden")
    page.goto(f"{live_server.url}/w/acme/leads/")
    offer = page.locator("[data-select-matching]")
    assert not offer.is_visible()

    page.locator("[data-select-all]").check()
    assert page.locator("[data-selected-count]").inner_text() == "50"
    assert offer.inner_text() == "Select all 60 matching"
    offer.click()
    assert page.locator("[data-selected-count]").inner_text() == "All 60"
    page.fill("input[name=tag_name]", "Nordic")
    page.click("button[value=tag]")
    page.wait_for_selector(".flash-success")
    assert "Tagged 60 leads “Nordic”." in page.locator(".flash-success").inner_text()
    assert workspace.leads.filter(tags__name="Nordic").count() == 60


def test_unticking_a_row_goes_back_to_the_ticked_rows(logged_in_page, live_server, workspace):
    page = logged_in_page
    LeadFactory.create_batch(55, workspace=workspace)
    page.goto(f"{live_server.url}/w/acme/leads/")
    page.locator("[data-select-all]").check()
    page.locator("[data-select-matching]").click()
    page.locator("[data-select-row]").first.uncheck()
    assert page.locator("[data-selected-count]").inner_text() == "49"
    assert page.locator("input[name=select_all]").input_value() == ""


def test_the_table_fills_the_page_height(logged_in_page, live_server, workspace):
    page = logged_in_page
    page.set_viewport_size({"width": 1440, "height": 900})
    LeadFactory.create_batch(120, workspace=workspace)
    page.goto(f"{live_server.url}/w/acme/leads/")
    visible = page.evaluate(
        """() => {
            const wrap = document.querySelector('#leads-table .table-wrap');
            const bottom = Math.min(wrap.getBoundingClientRect().bottom, window.innerHeight);
            return [...wrap.querySelectorAll('tbody tr')]
                .filter(tr => tr.getBoundingClientRect().bottom <= bottom).length;
        }"""
    )
    assert visible >= 20
    # The table ends near the bottom of the window, with the pager still on screen.
    pager = page.locator(".pager").bounding_box()
    assert pager is not None and 900 - 60 < pager["y"] + pager["height"] <= 900
