"""In Chromium: "Check now" swaps the page's health section (HTMX) and a fix record copies."""

from __future__ import annotations

import pytest

from outreach.services.domain_checks import deliverability_policy_update

from .domain_zone import acme_zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tab(logged_in_page):
    return logged_in_page


def test_check_now_pauses_shows_the_fix_copies_it_and_resumes(
    tab, live_server, dns_server, workspace, sending_domain
):
    deliverability_policy_update(
        workspace=workspace,
        pause_on_failure=True,
        ip_blocklists=[],
        domain_blocklists=[],
        dns_nameserver="127.0.0.1",
        dns_port=dns_server.port,
    )
    dns_server.load(acme_zone(without=("dmarc",)))
    tab.goto(f"{live_server.url}/w/acme/outreach/domains/")
    tab.click(f"a[href='/w/acme/outreach/domains/{sending_domain.pk}/'] >> nth=0")
    tab.wait_for_url(f"**/outreach/domains/{sending_domain.pk}/")
    assert "not been checked yet" in tab.inner_text("#domain-health")

    tab.click("[data-check-now]")
    tab.wait_for_selector("[data-code='dmarc.missing']")

    assert "Paused" in tab.inner_text("#domain-state")
    assert tab.url.endswith(f"/outreach/domains/{sending_domain.pk}/")  # swapped, not reloaded
    fix = tab.locator("[data-code='dmarc.missing'] code[id^='fix-value']")
    button = tab.locator("[data-code='dmarc.missing'] .fix-row >> nth=1 >> button")
    button.click()
    tab.wait_for_function(
        "document.activeElement && document.activeElement.textContent === 'Copied'"
    )
    assert tab.evaluate("navigator.clipboard.readText()") == fix.inner_text()
    assert fix.inner_text().startswith("v=DMARC1; p=")

    dns_server.load(acme_zone())
    tab.click("[data-check-now]")
    tab.wait_for_function("!document.querySelector(\"[data-code='dmarc.missing']\")")

    assert "Ready" in tab.inner_text("#domain-state")
    assert tab.locator("#history tbody tr").count() == 2
