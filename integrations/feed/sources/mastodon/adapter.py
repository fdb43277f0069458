"""Mastodon (and compatible servers): account lookup, then the public statuses.

Replies and boosts are left out by the server (exclude_replies, exclude_reblogs) and ``since_id``
asks only for what is new. Some servers refuse anonymous lookups (the API documents a token):
then the profile's RSS feed, which every Mastodon account publishes, is read instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from crm.net.http import Fetched, FetchFailed, UnsafeURL
from integrations.feed.content import from_html
from integrations.feed.sources.base import (
    FetchContext,
    FetchResult,
    FoundPost,
    SourceError,
    SourceState,
    check_status,
    host_of,
    json_body,
    parse_time,
)
from integrations.feed.sources.rss.adapter import feed_get, feed_result

STATUS_LIMIT = 40
RSS_MODE = "rss"  # resolved_id when the server refused the lookup


def _split(state: SourceState) -> tuple[str, str]:
    """(user, base URL) of "@user@host"; the base keeps the scheme the user gave, if any."""
    user, host = state.value.lstrip("@").split("@", 1)
    return user, (state.resolved_url or f"https://{host}").rstrip("/")


def _get(context: FetchContext, url: str, what: str) -> Fetched:
    try:
        return context.http.get(url, accept=("application/json",))
    except UnsafeURL as exc:
        raise SourceError(f"Refused: {exc.message}", permanent=True) from None
    except FetchFailed as exc:
        raise SourceError(f"Could not reach {what}: {exc}") from None


def _newest(ids: list[str]) -> str:
    # Mastodon ids are numeric strings that sort by time (snowflakes); compare as numbers.
    return max(ids, key=lambda i: (len(i), i))


def _status(item: Any) -> FoundPost | None:
    if not isinstance(item, dict) or item.get("reblog") or item.get("in_reply_to_id"):
        return None
    url = str(item.get("url") or item.get("uri") or "")
    posted_at = parse_time(item.get("created_at"))
    if not url.startswith(("http://", "https://")) or posted_at is None:
        return None
    text, html = from_html(str(item.get("content") or ""))
    return FoundPost(
        external_id=url[:500], url=url[:1000], posted_at=posted_at, text=text, html=html
    )


class MastodonAdapter:
    def host(self, state: SourceState, context: FetchContext) -> str:
        return host_of(_split(state)[1])

    def fetch(self, state: SourceState, context: FetchContext) -> FetchResult:
        user, base = _split(state)
        result = FetchResult()
        account_id = state.resolved_id
        if not account_id:
            account_id = self._lookup(context, user, base, state.value)
            result.resolved_id = account_id
            result.resolved_url = base
        if account_id == RSS_MODE:
            feed_url = f"{base}/@{user}.rss"
            fetched = feed_get(
                context, feed_url, etag=state.etag, last_modified=state.last_modified
            )
            feed = feed_result(fetched, feed_url=feed_url)
            feed.resolved_id, feed.resolved_url = result.resolved_id, result.resolved_url
            return feed
        params = {"exclude_replies": "true", "exclude_reblogs": "true", "limit": str(STATUS_LIMIT)}
        if state.cursor:
            params["since_id"] = state.cursor
        what = f"Mastodon ({state.value})"
        statuses = f"{base}/api/v1/accounts/{account_id}/statuses?{urlencode(params)}"
        fetched = _get(context, statuses, what)
        check_status(fetched, what)
        items = json_body(fetched, what)
        if not isinstance(items, list):
            raise SourceError(f"{what} answered without a list of statuses.")
        ids = [str(i["id"]) for i in items if isinstance(i, dict) and i.get("id")]
        result.posts = [p for p in (_status(i) for i in items) if p is not None]
        if ids:
            result.cursor = _newest(ids + ([state.cursor] if state.cursor else []))
        return result

    def _lookup(self, context: FetchContext, user: str, base: str, handle: str) -> str:
        what = f"Mastodon ({handle})"
        fetched = _get(context, f"{base}/api/v1/accounts/lookup?{urlencode({'acct': user})}", what)
        if fetched.status in (401, 403):
            return RSS_MODE
        if fetched.status == 404:
            raise SourceError(f"The Mastodon handle {handle} does not resolve.", permanent=True)
        check_status(fetched, what)
        account = json_body(fetched, what)
        account_id = str(account.get("id") or "") if isinstance(account, dict) else ""
        if not account_id:
            raise SourceError(f"{what} gave no account id.", permanent=True)
        return account_id
