"""Bluesky through a loopback AppView speaking getProfile and getAuthorFeed."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime

import pytest
from django.utils import timezone

from integrations.feed.models import Post
from integrations.feed.services.identities import identity_add
from tests.integrations.feed.formats import (
    DID,
    OTHER_DID,
    ago,
    bsky_feed,
    bsky_post,
    bsky_profile,
)
from tests.integrations.feed.site import Reply

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json"}
PROFILE = "/xrpc/app.bsky.actor.getProfile"
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"


def _add(workspace, actor, lead, value="jane.bsky.social"):
    identity, _ = identity_add(
        workspace=workspace, actor=actor, network="bluesky", value=value, lead=lead
    )
    return identity


def test_it_resolves_the_handle_and_keeps_own_posts_only(
    appview, refresh, workspace, feed_actor, lead
):
    appview.routes[PROFILE] = Reply(body=bsky_profile("jane.bsky.social"), headers=JSON)
    repost = {
        "post": bsky_post("3krepost", "Someone else's words", ago(hours=1), did=OTHER_DID),
        "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": {"did": DID}},
    }
    appview.routes[FEED] = Reply(
        body=bsky_feed(
            [
                {"post": bsky_post("3kown1", "Shipping today", ago(hours=2))},
                repost,
                {"post": bsky_post("3kown2", "Hiring!\nDM me", ago(days=1))},
            ]
        ),
        headers=JSON,
    )
    identity = _add(workspace, feed_actor, lead, "https://bsky.app/profile/Jane.bsky.social")

    counts = refresh()

    assert (counts.new_posts, counts.errors) == (2, 0)
    identity.refresh_from_db()
    assert identity.value == "jane.bsky.social" and identity.resolved_id == DID
    asked = appview.requests_to(FEED)[0].query
    assert asked["actor"] == [DID] and asked["filter"] == ["posts_no_replies"]
    post = Post.objects.get(external_id=f"at://{DID}/app.bsky.feed.post/3kown1")
    assert post.url == f"https://bsky.app/profile/{DID}/post/3kown1"
    assert post.text == "Shipping today"
    assert Post.objects.get(external_id__endswith="3kown2").html == "Hiring!<br>DM me"


def test_the_did_is_kept_so_the_profile_is_not_looked_up_again(
    appview, refresh, workspace, feed_actor, lead
):
    appview.routes[PROFILE] = Reply(body=bsky_profile("jane.bsky.social"), headers=JSON)
    appview.routes[FEED] = Reply(body=bsky_feed([]), headers=JSON)
    _add(workspace, feed_actor, lead)

    first, second = refresh(), refresh(everything=True)

    assert len(appview.requests_to(PROFILE)) == 1
    assert len(appview.requests_to(FEED)) == 2
    assert (first.not_modified, second.not_modified) == (1, 1)


def test_a_handle_that_does_not_resolve_needs_attention(
    appview, refresh, workspace, feed_actor, lead
):
    appview.routes[PROFILE] = Reply(
        400, json.dumps({"error": "InvalidRequest", "message": "Profile not found"}).encode(), JSON
    )
    identity = _add(workspace, feed_actor, lead, "nobody.bsky.social")

    assert refresh().errors == 1
    identity.refresh_from_db()
    assert identity.needs_attention == (
        "The Bluesky handle nobody.bsky.social does not resolve: Profile not found"
    )
    # Not polled again until someone retries it.
    assert refresh().sources == 0


@pytest.mark.parametrize("as_date", [False, True])
def test_429_with_retry_after_delays_only_the_source_that_got_it(
    appview, refresh, workspace, feed_actor, lead, as_date
):
    when = timezone.now() + dt.timedelta(hours=2)
    retry_after = format_datetime(when, usegmt=True) if as_date else "7200"
    appview.routes[PROFILE] = Reply(
        429, b'{"error":"RateLimitExceeded"}', {**JSON, "Retry-After": retry_after}
    )
    limited = _add(workspace, feed_actor, lead)

    counts = refresh()

    assert counts.errors == 1
    limited.refresh_from_db()
    assert "rate-limited" in limited.last_error
    assert limited.needs_attention == "" and limited.consecutive_failures == 0
    wait = limited.next_check_at - timezone.now()
    assert dt.timedelta(hours=1, minutes=55) < wait <= dt.timedelta(hours=2, minutes=1)
