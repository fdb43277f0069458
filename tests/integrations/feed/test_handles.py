"""What people type for a source, in one canonical form per network."""

from __future__ import annotations

import pytest

from crm.normalize import InvalidValue
from integrations.feed.handles import handle_normalize, network_for_key

CHANNEL = "UC" + "x" * 22


@pytest.mark.parametrize(
    ("network", "raw", "value", "feed_url"),
    [
        ("bluesky", "@Jane.bsky.social", "jane.bsky.social", ""),
        ("bluesky", "https://bsky.app/profile/jane.example.com/post/3k", "jane.example.com", ""),
        ("bluesky", "did:plc:abcdefghijklmnopqrstuvwx", "did:plc:abcdefghijklmnopqrstuvwx", ""),
        ("mastodon", "@Jane@Mastodon.Social", "@Jane@mastodon.social", "https://mastodon.social"),
        ("mastodon", "https://fosstodon.org/@jane", "@jane@fosstodon.org", "https://fosstodon.org"),
        ("x", "https://twitter.com/JaneDoe", "janedoe", ""),
        ("x", "@jane_doe", "jane_doe", ""),
        (
            "rss",
            "jane.example/feed.xml",
            "https://jane.example/feed.xml",
            "https://jane.example/feed.xml",
        ),
        ("website", "https://jane.example", "https://jane.example", ""),
        (
            "youtube",
            CHANNEL,
            f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}",
            f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}",
        ),
        (
            "youtube",
            f"https://www.youtube.com/channel/{CHANNEL}/videos",
            f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}",
            f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}",
        ),
        ("youtube", "https://www.youtube.com/@janedoe", "https://www.youtube.com/@janedoe", ""),
        (
            "substack",
            "janewrites",
            "https://janewrites.substack.com/feed",
            "https://janewrites.substack.com/feed",
        ),
        ("medium", "@jane", "https://medium.com/feed/@jane", "https://medium.com/feed/@jane"),
        (
            "medium",
            "https://medium.com/@jane/some-story-123",
            "https://medium.com/feed/@jane",
            "https://medium.com/feed/@jane",
        ),
        (
            "hn",
            "https://news.ycombinator.com/user?id=pg",
            "https://hnrss.org/submitted?id=pg",
            "https://hnrss.org/submitted?id=pg",
        ),
        ("hn", "pg", "https://hnrss.org/submitted?id=pg", "https://hnrss.org/submitted?id=pg"),
        ("linkedin", "linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe/", ""),
    ],
)
def test_handles_are_normalized(network, raw, value, feed_url):
    handle = handle_normalize(network, raw)
    assert (handle.network, handle.value, handle.feed_url) == (network, value, feed_url)


@pytest.mark.parametrize(
    ("network", "raw"),
    [
        ("bluesky", "jane"),
        ("mastodon", "jane"),
        ("mastodon", "https://fosstodon.org/about"),
        ("x", "this-is-not-valid"),
        ("rss", "ftp://jane.example/feed"),
        ("rss", "https://user:pass@jane.example/feed"),
        ("hn", "https://news.ycombinator.com/"),
        ("myspace", "jane"),
        ("rss", "   "),
    ],
)
def test_malformed_handles_are_refused(network, raw):
    with pytest.raises(InvalidValue):
        handle_normalize(network, raw)


def test_social_handle_keys_map_to_networks():
    assert network_for_key("Twitter") == "x"
    assert network_for_key("Personal website") == "website"
    assert network_for_key("Blog") == "website"
    assert network_for_key("myspace") is None
