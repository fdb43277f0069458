"""One adapter per network behind one interface (``base.SourceAdapter``); ``adapter_for`` picks."""

from __future__ import annotations

from integrations.feed.sources.base import SourceAdapter
from integrations.feed.sources.bluesky.adapter import BlueskyAdapter
from integrations.feed.sources.mastodon.adapter import MastodonAdapter
from integrations.feed.sources.rss.adapter import RssAdapter
from integrations.feed.sources.x.adapter import XAdapter

_RSS = RssAdapter()
ADAPTERS: dict[str, SourceAdapter] = {
    "bluesky": BlueskyAdapter(),
    "mastodon": MastodonAdapter(),
    "x": XAdapter(),
    "rss": _RSS,
    "website": _RSS,
    "youtube": _RSS,
    "substack": _RSS,
    "medium": _RSS,
    "hn": _RSS,
}


def adapter_for(network: str) -> SourceAdapter | None:
    """The adapter fetching ``network``; None for push-only networks (LinkedIn)."""
    return ADAPTERS.get(network)
