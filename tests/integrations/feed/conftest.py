"""Fixtures of the feed tests: a loopback site, settings pointing at it, and a refresh helper."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm.actors import Actor
from integrations.feed.refresh import RefreshCounts, feed_client, refresh_sources
from tests.integrations.feed.site import Site, serve_site


@pytest.fixture
def site(settings) -> Iterator[Site]:
    # Only the test server's own address is allowed although private; a redirect to another
    # private address (10.0.0.1, 169.254.169.254) must still be refused.
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]
    settings.FEED_FETCH_TIMEOUT = 2
    yield from serve_site()


@pytest.fixture
def appview(site, settings) -> Site:
    settings.BLUESKY_APPVIEW_URL = site.url()
    return site


def loopback_names(host: str, port: int) -> list[str]:
    """A resolver for test host names (blog-a.test …): all of them live on 127.0.0.1."""
    return ["127.0.0.1"]


@pytest.fixture
def refresh(db):
    """Run one refresh pass (``everything`` like --all), through a client that resolves the
    tests' host names to loopback."""

    def run(*, everything: bool = False, **client_options) -> RefreshCounts:
        client_options.setdefault("resolve", loopback_names)
        with feed_client(**client_options) as client:
            return refresh_sources(everything=everything, client=client)

    return run


@pytest.fixture
def feed_actor(owner) -> Actor:
    return Actor.of_user(owner)
