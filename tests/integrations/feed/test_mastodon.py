"""Mastodon through a loopback server speaking the accounts API (and the profile RSS)."""

from __future__ import annotations

import json

import pytest

from integrations.feed.models import Post
from integrations.feed.services.identities import identity_add
from tests.integrations.feed.formats import ago, mastodon_account, mastodon_status, rss2
from tests.integrations.feed.site import Reply

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json"}
LOOKUP = "/api/v1/accounts/lookup"
STATUSES = "/api/v1/accounts/109/statuses"


def _add(site, workspace, actor, lead):
    identity, _ = identity_add(
        workspace=workspace, actor=actor, network="mastodon", value=site.url("/@jane"), lead=lead
    )
    return identity


def test_it_looks_up_the_account_and_sanitizes_status_html(
    site, refresh, workspace, feed_actor, lead
):
    host = f"127.0.0.1:{site.port}"
    site.routes[LOOKUP] = Reply(body=mastodon_account("109", "jane"), headers=JSON)
    site.routes[STATUSES] = Reply(
        body=json.dumps(
            [
                mastodon_status(
                    "1100",
                    '<p>New <a href="https://x.example" onclick="steal()">post</a></p>'
                    "<script>document.cookie</script>",
                    ago(hours=1),
                    host=host,
                ),
                mastodon_status("1090", "<p>A boost</p>", ago(hours=2), host=host, reblog=True),
            ]
        ).encode(),
        headers=JSON,
    )
    identity = _add(site, workspace, feed_actor, lead)

    counts = refresh()

    assert (counts.new_posts, counts.errors) == (1, 0)
    assert identity.value == f"@jane@{host}"
    assert site.requests_to(LOOKUP)[0].query == {"acct": ["jane"]}
    query = site.requests_to(STATUSES)[0].query
    assert query["exclude_replies"] == ["true"] and query["exclude_reblogs"] == ["true"]
    post = Post.objects.get()
    assert post.text == "New post"
    assert "script" not in post.html and "onclick" not in post.html and "cookie" not in post.html
    assert 'href="https://x.example"' in post.html
    identity.refresh_from_db()
    assert (identity.resolved_id, identity.cursor) == ("109", "1100")


def test_the_next_pass_asks_only_for_newer_statuses(site, refresh, workspace, feed_actor, lead):
    host = f"127.0.0.1:{site.port}"
    site.routes[LOOKUP] = Reply(body=mastodon_account("109", "jane"), headers=JSON)
    site.routes[STATUSES] = Reply(
        body=json.dumps([mastodon_status("1100", "<p>one</p>", ago(hours=1), host=host)]).encode(),
        headers=JSON,
    )
    _add(site, workspace, feed_actor, lead)
    refresh()
    site.routes[STATUSES] = Reply(body=b"[]", headers=JSON)

    second = refresh(everything=True)

    assert site.requests_to(STATUSES)[-1].query["since_id"] == ["1100"]
    assert (second.new_posts, second.not_modified) == (0, 1)


def test_a_refused_lookup_falls_back_to_the_profile_rss(site, refresh, workspace, feed_actor, lead):
    site.routes[LOOKUP] = Reply(
        401, b'{"error":"This method requires an authenticated user"}', JSON
    )
    site.routes["/@jane.rss"] = Reply(
        body=rss2([(f"{site.url()}/@jane/1200", "<p>From RSS</p>", ago(hours=3))]),
        headers={"Content-Type": "application/rss+xml"},
    )
    identity = _add(site, workspace, feed_actor, lead)

    assert refresh().new_posts == 1
    assert Post.objects.get().text == "From RSS"
    identity.refresh_from_db()
    assert identity.resolved_id == "rss"


def test_an_unknown_account_needs_attention(site, refresh, workspace, feed_actor, lead):
    site.routes[LOOKUP] = Reply(404, b'{"error":"Record not found"}', JSON)
    identity = _add(site, workspace, feed_actor, lead)

    assert refresh().errors == 1
    identity.refresh_from_db()
    assert (
        identity.needs_attention
        == f"The Mastodon handle @jane@127.0.0.1:{site.port} does not resolve."
    )
