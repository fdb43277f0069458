"""In a real browser: an owner invites a teammate by email, the teammate follows the link, picks a
password and lands in the workspace; someone who forgot their password resets it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from crm.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(message, base: str) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found, message.body
    return base + found[1]


def test_an_invited_teammate_joins_from_the_email(logged_in_page, live_server, chromium):
    page = logged_in_page
    page.goto(f"{live_server.url}/w/acme/settings/")
    page.locator("#id_email").fill("nina@acme.test")
    page.locator("#id_member_name").fill("Nina Ricci")
    page.get_by_role("button", name="Invite").click()
    page.get_by_text("Invitation sent to nina@acme.test").wait_for()
    row = page.locator("[data-member='nina@acme.test']")
    assert "Nina Ricci" in row.inner_text() and "Invited" in row.inner_text()

    (message,) = mail.outbox
    newcomer = chromium.new_context()
    try:
        tab = newcomer.new_page()
        tab.goto(_link(message, live_server.url))
        tab.get_by_text("Choose a password for nina@acme.test").wait_for()
        tab.get_by_label("New password").fill("a long pass phrase")
        tab.get_by_label("The same password again").fill("a long pass phrase")
        tab.get_by_role("button", name="Join").click()
        tab.wait_for_url(f"{live_server.url}/w/acme/")
        # One name for the person: the header shows the name they were invited with.
        assert "Nina Ricci" in tab.locator("#user-menu").inner_text()
    finally:
        newcomer.close()
    nina = Membership.objects.get(user__email="nina@acme.test").user
    assert nina.has_usable_password() and nina.check_password("a long pass phrase")


def test_a_forgotten_password_is_reset_from_the_login_page(chromium, live_server, owner, workspace):
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_label("Email").fill("olivia@acme.test")
        page.get_by_role("button", name="Send the link").click()
        page.get_by_text("Check your email").wait_for()
        (message,) = mail.outbox
        page.goto(_link(message, live_server.url))
        page.get_by_label("New password").fill("brand new pass phrase")
        page.get_by_label("The same password again").fill("brand new pass phrase")
        page.get_by_role("button", name="Save the password").click()
        page.get_by_text("Password saved").wait_for()
        page.get_by_role("link", name="Log in").click()
        page.get_by_label("Email").fill("olivia@acme.test")
        page.get_by_label("Password").fill("brand new pass phrase")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}/w/acme/"
    finally:
        context.close()
