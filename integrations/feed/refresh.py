"""One refresh pass: fetch the due sources concurrently, write the outcomes as they arrive.

Fetches run in a thread pool (network only, no database), handed out host by host
(``dispatch.HostDispatcher``: FEED_PER_HOST_CONCURRENCY per host, FEED_FETCH_CONCURRENCY in
all; the HTTP client enforces the same per-host limit on every request). This thread writes the
outcomes in groups (``services.outcomes``) while the pool goes on fetching.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from crm.models import Workspace
from crm.net.http import PublicClient
from integrations.feed.dispatch import HostDispatcher
from integrations.feed.models import SocialIdentity, XReadUsage
from integrations.feed.selectors import in_batches, sources_to_refresh
from integrations.feed.services.outcomes import SOURCE_FIELDS, Finished, Outcome, sources_record
from integrations.feed.sources import adapter_for
from integrations.feed.sources.base import (
    FetchContext,
    FetchResult,
    ReadBudget,
    SourceError,
    SourceState,
)

log = logging.getLogger(__name__)
FEED_MAX_BYTES = 5_000_000
# Outcomes written per transaction: fewer round trips, and a group is small enough that a
# progress bar moves and a crash loses little.
WRITE_GROUP = 50
LEASE = dt.timedelta(minutes=15)


@dataclass
class RefreshCounts:
    sources: int = 0
    new_posts: int = 0
    not_modified: int = 0
    errors: int = 0

    def add(self, outcome: Outcome) -> None:
        self.sources += 1
        self.new_posts += outcome.new_posts
        self.not_modified += int(outcome.not_modified)
        self.errors += int(outcome.failed)


def feed_client(**overrides: Any) -> PublicClient:
    """The HTTP client of a refresh, sized by the settings (tests and benchmarks override)."""
    options: dict[str, Any] = {
        "timeout": float(settings.FEED_FETCH_TIMEOUT),
        "max_bytes": FEED_MAX_BYTES,
        "per_host": settings.FEED_PER_HOST_CONCURRENCY,
        "max_concurrency": settings.FEED_FETCH_CONCURRENCY,
    }
    options.update(overrides)
    return PublicClient(**options)


def _x_reads_left(now: dt.datetime) -> int:
    month = now.date().replace(day=1)
    used = XReadUsage.objects.filter(month=month).values_list("reads", flat=True).first() or 0
    return max(0, settings.X_MONTHLY_READ_BUDGET - used)


def _x_reads_spent(now: dt.datetime, reads: int) -> None:
    month = now.date().replace(day=1)
    usage, _ = XReadUsage.objects.get_or_create(month=month)
    XReadUsage.objects.filter(pk=usage.pk).update(reads=F("reads") + reads)


def _state(row: dict[str, Any]) -> SourceState:
    return SourceState(
        id=row["id"],
        network=row["network"],
        value=row["value"],
        resolved_id=row["resolved_id"],
        resolved_url=row["resolved_url"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        cursor=row["cursor"],
    )


def _fetch(state: SourceState, context: FetchContext) -> FetchResult:
    adapter = adapter_for(state.network)
    if adapter is None:
        raise SourceError(f"{state.network} posts are pushed, not fetched.", permanent=True)
    try:
        return adapter.fetch(state, context)
    except SourceError:
        raise
    except Exception as exc:
        # A bug met on one source's odd data must never stop the pass: that source fails.
        log.exception("Fetching source %s failed unexpectedly", state.id)
        name = type(exc).__name__
        raise SourceError(f"Unexpected error while reading this source ({name}).") from None


def refresh_sources(
    *,
    workspace: Workspace | None = None,
    everything: bool = False,
    client: PublicClient | None = None,
    on_progress: Callable[[RefreshCounts, int], None] | None = None,
    now: dt.datetime | None = None,
) -> RefreshCounts:
    """Refresh the sources that are due (``everything``: every enabled source); one pass.

    ``on_progress(counts, total)`` is called after each source (for a progress bar).
    """
    started = now or timezone.now()
    counts = RefreshCounts()
    own_client = client is None
    http = client or feed_client()
    context = FetchContext(
        http=http,
        bluesky_url=settings.BLUESKY_APPVIEW_URL,
        x_api_url=settings.X_API_URL,
        x_token=settings.X_BEARER_TOKEN,
        x_budget=ReadBudget(_x_reads_left(started) if settings.X_MONTHLY_READ_BUDGET else 0),
    )
    due = sources_to_refresh(now=started, workspace=workspace, everything=everything)
    total = due.count() if on_progress is not None else 0

    def tick() -> None:
        if on_progress is not None:
            on_progress(counts, max(total, counts.sources))

    try:
        with ThreadPoolExecutor(
            max_workers=settings.FEED_FETCH_CONCURRENCY, thread_name_prefix="feed-fetch"
        ) as pool:
            for rows in in_batches(due, fields=SOURCE_FIELDS):
                # A lease: a pass started meanwhile (the next beat, a manual run) skips these
                # sources; each outcome sets the real next check, a crash leaves them due soon.
                SocialIdentity.objects.filter(pk__in=[row["id"] for row in rows]).update(
                    next_check_at=timezone.now() + LEASE
                )
                _run_batch(pool, rows, context, counts, tick)
    finally:
        if own_client:
            http.close()
    return counts


def _run_batch(
    pool: ThreadPoolExecutor,
    rows: list[dict[str, Any]],
    context: FetchContext,
    counts: RefreshCounts,
    tick: Callable[[], object],
) -> None:
    dispatcher: HostDispatcher[dict[str, Any], FetchResult] = HostDispatcher(
        pool,
        lambda row: _fetch(_state(row), context),
        per_host=settings.FEED_PER_HOST_CONCURRENCY,
        limit=settings.FEED_FETCH_CONCURRENCY,
    )
    remaining = dispatcher.start((_host(row, context), row) for row in rows)
    finished: list[Finished] = []
    while remaining:
        row, future = dispatcher.results.get()
        finished.append((row, _result(row, future)))
        remaining -= 1
        if len(finished) >= WRITE_GROUP or not remaining:
            for outcome in sources_record(finished=finished, now=timezone.now()):
                counts.add(outcome)
            finished.clear()
            tick()


def _host(row: dict[str, Any], context: FetchContext) -> str:
    adapter = adapter_for(row["network"])
    return adapter.host(_state(row), context) if adapter else ""


def _result(row: dict[str, Any], future: Future[FetchResult]) -> FetchResult | SourceError:
    try:
        result = future.result()
    except SourceError as error:
        if error.reads:
            _x_reads_spent(timezone.now(), error.reads)
        return error
    if result.reads:
        _x_reads_spent(timezone.now(), result.reads)
    return result
