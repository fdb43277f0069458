"""A real Chromium (Debian's, never a downloaded one) driven by Playwright's sync API."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
