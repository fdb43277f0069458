"""RSS and Atom sources: a feed URL, or a site (website, YouTube, Substack…) whose feed is found
from its page's ``<link rel="alternate">`` the first time it is fetched."""

from __future__ import annotations

import datetime as dt

from crm.net.http import Fetched, FetchFailed, UnsafeURL
from integrations.feed.sources.base import (
    FetchContext,
    FetchResult,
    SourceError,
    SourceState,
    check_status,
    host_of,
)
from integrations.feed.sources.rss.discovery import feed_links, looks_like_html
from integrations.feed.sources.rss.parse import feed_posts

FEED_ACCEPT = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml;q=0.9",
    "text/xml;q=0.9",
    "text/html;q=0.5",
    "*/*;q=0.1",
)


def feed_get(
    context: FetchContext, url: str, *, etag: str = "", last_modified: str = ""
) -> Fetched:
    """A conditional GET of a feed, errors turned into SourceError."""
    try:
        fetched = context.http.get(url, etag=etag, last_modified=last_modified, accept=FEED_ACCEPT)
    except UnsafeURL as exc:
        raise SourceError(f"Refused: {exc.message}", permanent=True) from None
    except FetchFailed as exc:
        raise SourceError(f"Could not fetch {url}: {exc}") from None
    check_status(fetched, url)
    if fetched.truncated:
        limit = context.http.max_bytes // 1_000_000
        raise SourceError(f"{url} is larger than {limit} MB; not a feed we read.", permanent=True)
    return fetched


def feed_result(fetched: Fetched, *, feed_url: str) -> FetchResult:
    """The posts of a fetched feed, with its validators for the next conditional GET."""
    if fetched.status == 304:
        return FetchResult(not_modified=True)
    content_type = fetched.headers.get("content-type", "")
    if looks_like_html(fetched.body, content_type):
        raise SourceError(
            f"{feed_url} is a web page, not an RSS or Atom feed. Add the site as a website "
            "to find its feed.",
            permanent=True,
        )
    posts = feed_posts(
        fetched.body,
        url=feed_url,
        content_type=content_type,
        fetched_at=dt.datetime.now(dt.UTC),
    )
    return FetchResult(
        posts=posts,
        etag=fetched.headers.get("etag", ""),
        last_modified=fetched.headers.get("last-modified", ""),
    )


class RssAdapter:
    def host(self, state: SourceState, context: FetchContext) -> str:
        return host_of(state.resolved_url or state.value)

    def fetch(self, state: SourceState, context: FetchContext) -> FetchResult:
        if state.resolved_url:
            fetched = feed_get(
                context, state.resolved_url, etag=state.etag, last_modified=state.last_modified
            )
            return feed_result(fetched, feed_url=state.resolved_url)
        return self._discover(state, context)

    def _discover(self, state: SourceState, context: FetchContext) -> FetchResult:
        page = feed_get(context, state.value)
        content_type = page.headers.get("content-type", "")
        if not looks_like_html(page.body, content_type):
            # The address given is the feed itself.
            result = feed_result(page, feed_url=page.url)
            result.resolved_url = page.url
            return result
        links = feed_links(page.text, page.url)
        if not links:
            raise SourceError(
                f"No RSS or Atom feed is advertised on {state.value} "
                '(no <link rel="alternate">); add the feed URL as an RSS source.',
                permanent=True,
            )
        fetched = feed_get(context, links[0])
        result = feed_result(fetched, feed_url=links[0])
        result.resolved_url = links[0]
        return result
