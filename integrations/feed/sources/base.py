"""The interface every post source implements, and what it hands back.

Adapters run in worker threads and never touch the database: they get a detached
``SourceState`` and a ``FetchContext`` (the shared HTTP client and settings) and return a
``FetchResult`` or raise ``SourceError``; the refresh runner writes the outcome.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from crm.net.http import Fetched, PublicClient, retry_after_seconds


@dataclass(frozen=True)
class SourceState:
    """A SocialIdentity as an adapter sees it (a plain copy, safe to pass to a thread)."""

    id: int
    network: str
    value: str
    resolved_id: str = ""
    resolved_url: str = ""
    etag: str = ""
    last_modified: str = ""
    cursor: str = ""


class ReadBudget:
    """Paid reads left for this pass, shared by the threads of the pass (X bills each read)."""

    def __init__(self, left: int) -> None:
        self._left = left
        self._lock = threading.Lock()

    def take(self, wanted: int, *, at_least: int = 1) -> int:
        """Reserve up to ``wanted`` reads; 0 when fewer than ``at_least`` are left."""
        with self._lock:
            if self._left < at_least:
                return 0
            granted = min(wanted, self._left)
            self._left -= granted
            return granted

    def give_back(self, unused: int) -> None:
        with self._lock:
            self._left += max(0, unused)


@dataclass(frozen=True)
class FetchContext:
    http: PublicClient
    bluesky_url: str = "https://public.api.bsky.app"
    x_api_url: str = "https://api.x.com"
    x_token: str = ""
    x_budget: ReadBudget = field(default_factory=lambda: ReadBudget(0))


@dataclass(frozen=True)
class FoundPost:
    external_id: str
    url: str
    posted_at: dt.datetime
    text: str = ""
    html: str = ""
    title: str = ""


@dataclass
class FetchResult:
    """What a fetch found. ``None`` in a state field means "leave it as it is"."""

    posts: list[FoundPost] = field(default_factory=list)
    not_modified: bool = False
    resolved_id: str | None = None
    resolved_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    cursor: str | None = None
    # Paid reads spent (X).
    reads: int = 0


class SourceError(Exception):
    """This source could not be refreshed; ``message`` is shown to the user as the reason.

    ``permanent``: retrying will not help until someone changes the source (a handle that does
    not resolve, a page that is not a feed): it needs attention at once. ``retry_after``: the
    server asked us to wait that many seconds (429, 503).
    """

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after
        # Paid reads spent before the failure (X), still counted against the budget.
        self.reads = 0


class SourceAdapter(Protocol):
    def host(self, state: SourceState, context: FetchContext) -> str:
        """The host name most of this source's requests go to (for the per-host limit)."""
        ...

    def fetch(self, state: SourceState, context: FetchContext) -> FetchResult:
        """The source's recent posts, newest state to keep; raises SourceError."""
        ...


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def check_status(fetched: Fetched, what: str) -> None:
    """Turn an unsuccessful answer into a SourceError with a sentence a user understands."""
    status = fetched.status
    if status == 304 or 200 <= status < 300:
        return
    if status in (429, 503):
        wait = retry_after_seconds(fetched.headers.get("retry-after"))
        if wait is None and status == 429:
            wait = _rate_limit_reset(fetched.headers)
        label = "rate-limited us (429)" if status == 429 else "is unavailable (503)"
        raise SourceError(f"{what} {label}; retrying later.", retry_after=wait)
    if status == 410:
        raise SourceError(f"{what} is gone (410).", permanent=True)
    if status in (401, 403):
        raise SourceError(f"{what} refused access ({status}).")
    if status == 404:
        raise SourceError(f"{what} was not found (404).")
    raise SourceError(f"{what} answered HTTP {status}.")


def _rate_limit_reset(headers: dict[str, str]) -> float | None:
    # Bluesky sends the reset as epoch seconds, Mastodon as an ISO date.
    raw = headers.get("ratelimit-reset") or headers.get("x-ratelimit-reset") or ""
    now = dt.datetime.now(dt.UTC)
    if raw.isdigit():
        return max(0.0, int(raw) - now.timestamp())
    try:
        when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def json_body(fetched: Fetched, what: str) -> Any:
    if fetched.truncated:
        raise SourceError(f"{what} sent more than the size limit.", permanent=True)
    try:
        return json.loads(fetched.body)
    except ValueError:
        raise SourceError(f"{what} did not answer with JSON.") from None


def parse_time(raw: Any) -> dt.datetime | None:
    """An ISO 8601 timestamp as an aware datetime (UTC when no zone is given), else None."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
