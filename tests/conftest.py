"""Shared fixtures: personas in two workspaces, API clients, and the program-skip rule."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from django.conf import settings
from django.test import Client

from crm.actors import Actor
from crm.services.api_keys import api_key_create
from crm.services.workspaces import membership_add, user_get_or_create, workspace_create
from tests.factories import LeadFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_program(path_or_name: str, why: str) -> str:
    """The program's path; skips the test when missing, except in CI where that is a failure."""
    found = shutil.which(path_or_name) or (path_or_name if os.path.exists(path_or_name) else None)
    if found:
        return found
    message = f"{path_or_name} is not installed ({why})"
    if IN_CI:
        pytest.fail(f"{message}; CI must run this test, not skip it", pytrace=False)
    pytest.skip(message)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright's sync API, one per test module.

    Playwright's sync API runs an event loop in this thread for as long as it is open: a second
    ``sync_playwright()`` is refused meanwhile, and so is ``asyncio.run`` in later tests (the
    DNS checks). Module scope closes the loop before the next module's tests run.
    """
    require_program(CHROMIUM, "browser tests")
    from playwright.sync_api import sync_playwright

    # The ORM calls the tests make while that loop runs would otherwise be refused as
    # coming from an async context.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def logged_in_page(chromium, live_server, owner, workspace):
    """A tab whose session is Acme's owner (force_login, faster than typing the form).

    The clipboard is readable, for copy buttons; a JavaScript error on the page fails the test.
    """
    client = Client()
    client.force_login(owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = chromium.new_context(viewport={"width": 1600, "height": 950})
    context.set_default_timeout(15_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty cache (login and API-key throttling counters live there).

    A key prefix of its own per test is an empty cache without touching the database before
    the test is allowed to.
    """
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for name, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Personas are created with passwords; a slow hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    user, _ = user_get_or_create(email="olivia@acme.test", password="correct horse battery")
    return user


@pytest.fixture
def workspace(owner):
    return workspace_create(name="Acme Sales", slug="acme", owner=owner)


@pytest.fixture
def member(workspace):
    user, _ = user_get_or_create(email="mark@acme.test", password="correct horse battery")
    membership_add(workspace=workspace, user=user, role="member")
    return user


@pytest.fixture
def stranger(db):
    """Owner of another workspace: must never see Acme's rows."""
    user, _ = user_get_or_create(email="sam@globex.test", password="correct horse battery")
    return user


@pytest.fixture
def other_workspace(stranger):
    return workspace_create(name="Globex", slug="globex", owner=stranger)


@pytest.fixture
def actor(owner):
    return Actor.of_user(owner)


@pytest.fixture
def lead(workspace):
    return LeadFactory(workspace=workspace)


@pytest.fixture
def foreign_lead(other_workspace):
    return LeadFactory(workspace=other_workspace)


@pytest.fixture
def api_token(workspace, owner):
    _, token = api_key_create(workspace=workspace, user=owner, name="tests")
    return token


@pytest.fixture
def api(api_token):
    """A client that talks to /api/v1 as Acme's owner."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token}")


@pytest.fixture
def web(client, owner, workspace):
    """A logged-in browser-less client for the web UI."""
    client.force_login(owner)
    return client
