"""The optional X adapter: off by default, and never past the monthly read budget."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from integrations.feed.models import Post, XReadUsage
from integrations.feed.services.identities import identity_add
from tests.integrations.feed.formats import ago
from tests.integrations.feed.site import Reply

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def x_api(site, settings):
    settings.X_API_URL = site.url()
    settings.X_BEARER_TOKEN = "user-own-key"
    site.routes["/2/users/by/username/janedoe"] = Reply(
        body=json.dumps({"data": {"id": "44", "username": "janedoe"}}).encode(), headers=JSON
    )
    tweets = [
        {"id": str(900 + i), "text": f"tweet {i}", "created_at": ago(hours=i + 1).isoformat()}
        for i in range(3)
    ]
    site.routes["/2/users/44/tweets"] = Reply(
        body=json.dumps({"data": tweets, "meta": {"newest_id": "900", "result_count": 3}}).encode(),
        headers=JSON,
    )
    return site


def _add(workspace, actor, lead):
    identity_add(workspace=workspace, actor=actor, network="x", value="@JaneDoe", lead=lead)


def test_x_sources_are_not_fetched_without_a_budget(
    x_api, refresh, workspace, feed_actor, lead, settings
):
    settings.X_MONTHLY_READ_BUDGET = 0
    _add(workspace, feed_actor, lead)
    assert refresh().sources == 0
    assert x_api.seen == []


def test_x_reads_are_counted_against_the_budget(
    x_api, refresh, workspace, feed_actor, lead, settings
):
    settings.X_MONTHLY_READ_BUDGET = 100
    _add(workspace, feed_actor, lead)

    assert refresh().new_posts == 3

    assert x_api.seen[0].headers["authorization"] == "Bearer user-own-key"
    query = x_api.requests_to("/2/users/44/tweets")[0].query
    assert query["exclude"] == ["replies,retweets"]
    assert XReadUsage.objects.get(month=timezone.now().date().replace(day=1)).reads == 4
    assert Post.objects.get(external_id="900").url == "https://x.com/janedoe/status/900"


def test_a_spent_budget_stops_x_reads(x_api, refresh, workspace, feed_actor, lead, settings):
    settings.X_MONTHLY_READ_BUDGET = 10
    XReadUsage.objects.create(month=timezone.now().date().replace(day=1), reads=8)
    _add(workspace, feed_actor, lead)

    counts = refresh()

    assert counts.errors == 1
    assert x_api.requests_to("/2/users/44/tweets") == []
