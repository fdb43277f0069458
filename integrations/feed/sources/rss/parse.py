"""RSS 2.0, Atom and RDF bytes to posts, with feedparser (never given a URL: we fetch)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import feedparser

from integrations.feed.content import from_html
from integrations.feed.sources.base import FoundPost, SourceError

MAX_ENTRIES = 100


def _when(entry: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
    return None


def _content(entry: Any) -> str:
    for item in entry.get("content") or []:
        if item.get("value"):
            return str(item["value"])
    return str(entry.get("summary") or entry.get("description") or "")


def feed_posts(
    body: bytes, *, url: str, content_type: str, fetched_at: dt.datetime
) -> list[FoundPost]:
    """The entries of a feed document; SourceError when it is not a readable feed."""
    parsed = feedparser.parse(
        body, response_headers={"content-type": content_type, "content-location": url}
    )
    # A readable feed may be empty, and a slightly broken one still gives its entries; broken
    # markup that gives nothing is an error, not "no new posts".
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        detail = f" ({str(reason)[:150]})" if reason else ""
        raise SourceError(f"{url} is not a valid RSS or Atom feed{detail}.")
    posts: list[FoundPost] = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = str(entry.get("link") or "").strip()
        external_id = str(entry.get("id") or link).strip()
        if not external_id or not link.startswith(("http://", "https://")):
            continue  # nothing to open: not a post we can show
        text, html = from_html(_content(entry))
        posts.append(
            FoundPost(
                external_id=external_id[:500],
                url=link[:1000],
                title=str(entry.get("title") or "").strip()[:500],
                text=text,
                html=html,
                posted_at=_when(entry) or fetched_at,
            )
        )
    return posts
