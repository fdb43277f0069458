"""Chromium (Debian's) through Playwright's sync API, logged in by a copied session cookie."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def logged_in_page(chromium, live_server, owner, workspace):
    """A tab whose session is Acme's owner (force_login, faster than typing the form)."""
    client = Client()
    client.force_login(owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = chromium.new_context(viewport={"width": 1500, "height": 950})
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
