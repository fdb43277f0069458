"""A rep's first minute: log in, find a lead, open it, write a note, see it on the timeline."""

from __future__ import annotations

import pytest

from crm.actors import Actor
from crm.services.leads import lead_create
from crm.services.workspaces import user_get_or_create, workspace_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(transactional_db):
    rep, _ = user_get_or_create(email="rita@acme.test", password="correct horse battery")
    workspace = workspace_create(name="Acme Sales", slug="acme", owner=rep)
    actor = Actor.of_user(rep)
    for first, last, company in [
        ("Ada", "Lovelace", "Analytical Engines"),
        ("Grace", "Hopper", "Cobol Systems"),
        ("Alan", "Turing", "Bletchley Labs"),
    ]:
        lead_create(
            workspace=workspace,
            actor=actor,
            data={
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}@{last.lower()}.test",
                "company_name": company,
                "title": "Head of Sales",
            },
        )
    return workspace


def test_a_rep_logs_in_finds_a_lead_and_adds_a_note(page, live_server, team):
    page.goto(f"{live_server.url}/w/acme/leads/")
    # Anonymous: the login form, then back to the leads table.
    page.fill("#id_username", "rita@acme.test")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/w/acme/leads/")
    rows = page.locator("#leads-table tbody tr")
    assert rows.count() == 3

    page.fill("#lead-search", "hopper")
    page.wait_for_function("document.querySelectorAll('#leads-table tbody tr').length === 1")
    assert "q=hopper" in page.url  # the search is in the address bar, shareable
    page.click("#leads-table >> text=Grace Hopper")
    page.wait_for_url("**/w/acme/leads/*/")
    assert page.locator("h1").inner_text() == "Grace Hopper"

    page.fill("#note-body", "Asked for pricing for 12 seats; call back Tuesday.")
    page.click("#note-form button[type=submit]")
    note = page.locator("#timeline .timeline-item.is-note").first
    note.wait_for()
    assert "Asked for pricing for 12 seats" in note.inner_text()
    assert page.locator("#note-body").input_value() == ""  # a fresh composer

    page.reload()
    assert "Asked for pricing for 12 seats" in page.locator("#timeline").inner_text()


def test_a_rep_ticks_leads_and_adds_them_to_a_list(page, live_server, team):
    from crm.services.lists import list_create

    list_create(workspace=team, data={"name": "Q4 prospecting"})
    page.goto(f"{live_server.url}/login/?next=/w/acme/leads/")
    page.fill("#id_username", "rita@acme.test")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/w/acme/leads/")
    assert not page.locator("[data-bulkbar]").is_visible()
    boxes = page.locator("[data-select-row]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert page.locator("[data-selected-count]").inner_text() == "2"
    page.select_option("select[name=list_id]", label="Q4 prospecting")
    page.click("button[value=add_to_list]")
    page.wait_for_selector(".flash-success")
    assert "Added 2 leads to “Q4 prospecting”" in page.locator(".flash-success").inner_text()
