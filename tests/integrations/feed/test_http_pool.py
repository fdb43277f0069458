"""crm.net.http.PublicClient: the pooled, conditional, capped client the refresh uses."""

from __future__ import annotations

import datetime as dt
import threading
from email.utils import format_datetime

import pytest

from crm.net.http import FetchTimeout, PublicClient, UnsafeURL, retry_after_seconds
from tests.integrations.feed.conftest import loopback_names
from tests.integrations.feed.site import Reply


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    now = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("120", now=now) == 120
    assert (
        retry_after_seconds(format_datetime(now + dt.timedelta(minutes=5), usegmt=True), now=now)
        == 300
    )
    assert (
        retry_after_seconds(format_datetime(now - dt.timedelta(minutes=5), usegmt=True), now=now)
        == 0
    )
    assert retry_after_seconds("soon", now=now) is None
    assert retry_after_seconds(None) is None


def test_validators_are_sent_and_a_304_comes_back_as_is(site):
    site.routes["/f"] = lambda seen: (
        Reply(304) if seen.headers.get("if-none-match") == '"v2"' else Reply(body=b"full")
    )
    with PublicClient() as client:
        fresh = client.get(site.url("/f"))
        same = client.get(
            site.url("/f"), etag='"v2"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT"
        )
    assert (fresh.status, fresh.body) == (200, b"full")
    assert (same.status, same.body) == (304, b"")
    assert site.seen[1].headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_validators_and_caller_headers_do_not_follow_a_redirect(site):
    site.routes["/old"] = Reply(301, headers={"Location": "/new"})
    site.routes["/new"] = Reply(body=b"ok")
    with PublicClient() as client:
        fetched = client.get(
            site.url("/old"), etag='"x"', headers={"Authorization": "Bearer secret"}
        )
    assert fetched.url == site.url("/new")
    first, second = site.seen
    assert (
        first.headers["authorization"] == "Bearer secret"
        and first.headers["if-none-match"] == '"x"'
    )
    assert "authorization" not in second.headers and "if-none-match" not in second.headers


def test_connections_are_reused_for_the_same_host(site):
    site.routes["/f"] = Reply(body=b"ok")
    ports: set[int] = set()
    original = site._handle

    def remember(handler):
        ports.add(handler.client_address[1])
        original(handler)

    site._handle = remember
    with PublicClient() as client:
        for _ in range(5):
            client.get(site.url("/f"))
    assert len(ports) == 1


def test_a_declared_or_streamed_body_over_the_cap_is_cut(site):
    site.routes["/declared"] = Reply(body=b"x" * 5000)
    site.routes["/streamed"] = Reply(stream_bytes=10_000_000)
    with PublicClient(max_bytes=1000) as client:
        declared = client.get(site.url("/declared"))
        streamed = client.get(site.url("/streamed"))
    assert declared.truncated and declared.body == b""
    assert streamed.truncated and len(streamed.body) == 1000


def test_a_slow_answer_times_out(site):
    site.routes["/slow"] = Reply(body=b"late", delay=1.5)
    with PublicClient(timeout=0.3) as client, pytest.raises(FetchTimeout):
        client.get(site.url("/slow"))


def test_a_redirect_to_a_private_address_is_refused(site):
    site.routes["/to-metadata"] = Reply(
        302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    with PublicClient() as client, pytest.raises(UnsafeURL):
        client.get(site.url("/to-metadata"))


def test_loopback_is_refused_unless_allowed(site, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = []
    with PublicClient() as client, pytest.raises(UnsafeURL):
        client.get(site.url("/"))


def test_requests_to_one_host_never_exceed_the_per_host_limit(site):
    site.routes["/slow"] = Reply(body=b"ok", delay=0.2)
    with PublicClient(per_host=2, max_concurrency=10, resolve=loopback_names) as client:
        threads = [
            threading.Thread(target=client.get, args=(site.url("/slow", host=host),))
            for host in ("a.test", "b.test")
            for _ in range(5)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert dict(site.most_in_flight) == {f"a.test:{site.port}": 2, f"b.test:{site.port}": 2}
