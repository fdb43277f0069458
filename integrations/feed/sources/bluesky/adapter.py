"""Bluesky through the public AppView (no login): getProfile → DID, then getAuthorFeed.

The DID is kept, not the handle: handles change, DIDs do not, and post URLs are built from the
DID and the record key so they survive a rename. Reposts are someone else's words: skipped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from crm.net.http import Fetched, FetchFailed, UnsafeURL
from integrations.feed.content import from_text
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

FEED_LIMIT = 30


def _get(context: FetchContext, method: str, params: dict[str, str], what: str) -> Fetched:
    url = f"{context.bluesky_url}/xrpc/{method}?{urlencode(params)}"
    try:
        fetched = context.http.get(url, accept=("application/json",))
    except UnsafeURL as exc:
        raise SourceError(f"Refused: {exc.message}", permanent=True) from None
    except FetchFailed as exc:
        raise SourceError(f"Could not reach Bluesky: {exc}") from None
    if fetched.status == 400:
        # XRPC answers 400 {"error": "InvalidRequest", "message": "Profile not found"}.
        message = _xrpc_message(fetched)
        raise SourceError(f"{what}: {message}", permanent=True)
    check_status(fetched, what)
    return fetched


def _xrpc_message(fetched: Fetched) -> str:
    try:
        body = json_body(fetched, "Bluesky")
    except SourceError:
        return "Bluesky refused the request (400)."
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or "refused (400)")[:200]
    return "refused (400)"


def post_url(did: str, uri: str) -> str:
    """https://bsky.app/profile/<did>/post/<rkey> from at://<did>/app.bsky.feed.post/<rkey>."""
    rkey = uri.rstrip("/").rsplit("/", 1)[-1]
    return f"https://bsky.app/profile/{did}/post/{rkey}"


def _post(item: Any, did: str) -> FoundPost | None:
    if not isinstance(item, dict) or item.get("reason"):
        return None  # a repost (reasonRepost) or a pinned marker of someone else's post
    post = item.get("post") or {}
    author = post.get("author") or {}
    record = post.get("record") or {}
    uri = str(post.get("uri") or "")
    if author.get("did") != did or not uri.startswith("at://") or "/app.bsky.feed.post/" not in uri:
        return None
    posted_at = parse_time(record.get("createdAt")) or parse_time(post.get("indexedAt"))
    if posted_at is None:
        return None
    text, html = from_text(str(record.get("text") or ""))
    return FoundPost(
        external_id=uri[:500], url=post_url(did, uri), posted_at=posted_at, text=text, html=html
    )


class BlueskyAdapter:
    def host(self, state: SourceState, context: FetchContext) -> str:
        return host_of(context.bluesky_url)

    def fetch(self, state: SourceState, context: FetchContext) -> FetchResult:
        did = state.resolved_id or (state.value if state.value.startswith("did:") else "")
        result = FetchResult()
        if not did:
            fetched = _get(
                context,
                "app.bsky.actor.getProfile",
                {"actor": state.value},
                f"The Bluesky handle {state.value} does not resolve",
            )
            profile = json_body(fetched, "Bluesky")
            did = str(profile.get("did") or "") if isinstance(profile, dict) else ""
            if not did.startswith("did:"):
                raise SourceError(f"Bluesky gave no DID for {state.value}.", permanent=True)
            result.resolved_id = did
        fetched = _get(
            context,
            "app.bsky.feed.getAuthorFeed",
            {"actor": did, "filter": "posts_no_replies", "limit": str(FEED_LIMIT)},
            f"The Bluesky feed of {state.value}",
        )
        body = json_body(fetched, "Bluesky")
        items = body.get("feed") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise SourceError("Bluesky answered without a feed.")
        result.posts = [p for p in (_post(item, did) for item in items) if p is not None]
        return result
