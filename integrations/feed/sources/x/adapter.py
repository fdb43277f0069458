"""X (Twitter) with the user's own paid API key: off unless X_MONTHLY_READ_BUDGET is set.

Every post and user read is billed, so the runner hands the adapter the reads left this month
and the adapter asks for no more than that; what it spent comes back in ``FetchResult.reads``.
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

MAX_RESULTS = 10  # per fetch; the API takes 5 to 100
MIN_RESULTS = 5


def _get(context: FetchContext, path: str, what: str) -> Fetched:
    try:
        fetched = context.http.get(
            f"{context.x_api_url}{path}",
            accept=("application/json",),
            headers={"Authorization": f"Bearer {context.x_token}"},
        )
    except UnsafeURL as exc:
        raise SourceError(f"Refused: {exc.message}", permanent=True) from None
    except FetchFailed as exc:
        raise SourceError(f"Could not reach X: {exc}") from None
    if fetched.status == 401:
        raise SourceError("X refused the API key (401).", permanent=True)
    check_status(fetched, what)
    return fetched


def _post(item: Any, user: str) -> FoundPost | None:
    if not isinstance(item, dict) or not item.get("id"):
        return None
    posted_at = parse_time(item.get("created_at"))
    if posted_at is None:
        return None
    text, html = from_text(str(item.get("text") or ""))
    tweet_id = str(item["id"])
    return FoundPost(
        external_id=tweet_id,
        url=f"https://x.com/{user}/status/{tweet_id}",
        posted_at=posted_at,
        text=text,
        html=html,
    )


class XAdapter:
    def host(self, state: SourceState, context: FetchContext) -> str:
        return host_of(context.x_api_url)

    def fetch(self, state: SourceState, context: FetchContext) -> FetchResult:
        if not context.x_token:
            raise SourceError("X is not configured: set X_BEARER_TOKEN and X_MONTHLY_READ_BUDGET.")
        result = FetchResult()
        user_id = state.resolved_id
        lookup = 0 if user_id else 1
        # Reads are reserved before asking, so threads of one pass never overspend together.
        granted = context.x_budget.take(MAX_RESULTS + lookup, at_least=MIN_RESULTS + lookup)
        if not granted:
            raise SourceError("The monthly X read budget is spent; X sources wait for next month.")
        try:
            if not user_id:
                path = f"/2/users/by/username/{state.value}"
                fetched = _get(context, path, f"X (@{state.value})")
                result.reads += 1
                body = json_body(fetched, "X")
                data = body.get("data") if isinstance(body, dict) else None
                if not isinstance(data, dict) or not data.get("id"):
                    raise SourceError(
                        f"The X handle @{state.value} does not resolve.", permanent=True
                    )
                user_id = result.resolved_id = str(data["id"])
            self._timeline(context, state, user_id, granted - lookup, result)
        except SourceError as error:
            error.reads = result.reads
            raise
        finally:
            context.x_budget.give_back(granted - result.reads)
        return result

    def _timeline(
        self,
        context: FetchContext,
        state: SourceState,
        user_id: str,
        limit: int,
        result: FetchResult,
    ) -> None:
        params = {
            "exclude": "replies,retweets",
            "max_results": str(limit),
            "tweet.fields": "created_at",
        }
        if state.cursor:
            params["since_id"] = state.cursor
        fetched = _get(context, f"/2/users/{user_id}/tweets?{urlencode(params)}", "X")
        body = json_body(fetched, "X")
        items = body.get("data") if isinstance(body, dict) else None
        items = items if isinstance(items, list) else []
        result.reads += len(items)
        result.posts = [p for p in (_post(i, state.value) for i in items) if p is not None]
        newest = (body.get("meta") or {}).get("newest_id") if isinstance(body, dict) else None
        if newest:
            result.cursor = str(newest)
