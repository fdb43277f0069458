"""What fetches did to their sources: new posts stored, fetch state and next check written.

The refresh runner hands over outcomes in groups as fetches finish; a group is written in one
transaction with a handful of queries (posts looked up and inserted together, the sources'
new state in one bulk update), plus one event row per new post of a lead. If the group fails
(a database error on one source's odd data), each source of it is written on its own, so one
source's problem never loses another's posts; that source is recorded as failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count

from integrations.feed.models import Post, SocialIdentity
from integrations.feed.scheduler import next_check_after_failure, next_check_after_success
from integrations.feed.services.posts import FoundBatch, posts_store
from integrations.feed.sources.base import FetchResult, SourceError

log = logging.getLogger(__name__)
WEEK = dt.timedelta(days=7)
# Fields the runner reads for each due source (a plain dict per row, not a model instance).
SOURCE_FIELDS = (
    "id",
    "workspace_id",
    "lead_id",
    "company_id",
    "network",
    "value",
    "resolved_id",
    "resolved_url",
    "etag",
    "last_modified",
    "cursor",
    "consecutive_failures",
    "last_posted_at",
    "lead__company_id",
)
# Fetch state an adapter may change, with its column's length.
STATE_LIMITS = {
    "resolved_id": 200,
    "resolved_url": 1000,
    "etag": 300,
    "last_modified": 100,
    "cursor": 100,
}
STATE_FIELDS = [
    *STATE_LIMITS,
    "consecutive_failures",
    "last_error",
    "needs_attention",
    "last_checked_at",
    "last_posted_at",
    "next_check_at",
    "updated_at",
]


@dataclass(frozen=True)
class Outcome:
    new_posts: int = 0
    not_modified: bool = False
    failed: bool = False


Finished = tuple[dict[str, Any], FetchResult | SourceError]


def sources_record(
    *, finished: Sequence[Finished], now: dt.datetime, rng: random.Random | None = None
) -> list[Outcome]:
    """Write a group of finished fetches; one Outcome per source, in the same order."""
    try:
        with transaction.atomic():
            return _record(finished, now, rng)
    except Exception:
        # A database error (or a bug) on one source's odd data must not lose the others'
        # posts nor stop the pass: the group is written again one source at a time.
        if len(finished) == 1:
            raise
        log.warning("Writing %s sources together failed; writing them one by one", len(finished))
        outcomes = []
        for one in finished:
            try:
                outcomes.extend(sources_record(finished=[one], now=now, rng=rng))
            except Exception as exc:
                log.exception("Storing the posts of source %s failed", one[0]["id"])
                error = SourceError(f"Could not store this source's posts ({type(exc).__name__}).")
                outcomes.extend(sources_record(finished=[(one[0], error)], now=now, rng=rng))
        return outcomes


def _record(
    finished: Sequence[Finished], now: dt.datetime, rng: random.Random | None
) -> list[Outcome]:
    batches = [
        FoundBatch(
            workspace_id=row["workspace_id"],
            lead_id=row["lead_id"],
            company_id=row["lead__company_id"] if row["lead_id"] else row["company_id"],
            identity_id=row["id"],
            network=row["network"],
            found=result.posts,
        )
        for row, result in finished
        if isinstance(result, FetchResult) and result.posts
    ]
    created = posts_store(batches=batches, now=now) if batches else {}
    weekly = _posts_last_week(finished, now)
    outcomes: list[Outcome] = []
    changed: list[SocialIdentity] = []
    for row, result in finished:
        if isinstance(result, SourceError):
            changed.append(_failed(row, result, now, rng))
            outcomes.append(Outcome(failed=True))
            continue
        new = len(created.get(row["id"], []))
        changed.append(_succeeded(row, result, now, weekly[row["id"]], rng))
        outcomes.append(Outcome(new_posts=new, not_modified=not new))
    _write_states(changed)
    return outcomes


def _write_states(identities: list[SocialIdentity]) -> None:
    """One UPDATE per source sent as a batch (executemany): ``bulk_update``'s CASE expressions
    cost more Python time than the fetches of a pass answered by 304s."""
    if not identities:
        return
    fields = [f for f in SocialIdentity._meta.concrete_fields if f.name in STATE_FIELDS]
    table = connection.ops.quote_name(SocialIdentity._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(f.attname)} = %s" for f in fields)
    params = [
        [f.get_db_prep_save(getattr(identity, f.attname), connection) for f in fields]
        + [identity.pk]
        for identity in identities
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", params)


def _last_posted(row: dict[str, Any], result: FetchResult, now: dt.datetime) -> dt.datetime | None:
    newest = max((p.posted_at for p in result.posts), default=None)
    last_posted = row["last_posted_at"]
    if newest is not None and (last_posted is None or newest > last_posted):
        last_posted = min(newest, now)
    return last_posted


def _posts_last_week(finished: Sequence[Finished], now: dt.datetime) -> Counter[int]:
    """Posts each source published in the last 7 days, in one query for the group."""
    recent = [
        row["id"]
        for row, result in finished
        if isinstance(result, FetchResult)
        and (last := _last_posted(row, result, now)) is not None
        and last >= now - WEEK
    ]
    counts: Counter[int] = Counter()
    if recent:
        rows = (
            Post.objects.filter(identity_id__in=recent, posted_at__gte=now - WEEK)
            .values("identity_id")
            .annotate(n=Count("id"))
            .values_list("identity_id", "n")
        )
        counts.update(dict(rows))
    return counts


def _state(row: dict[str, Any], now: dt.datetime) -> SocialIdentity:
    """The row as a model instance carrying its current fetch state (for bulk_update)."""
    identity = SocialIdentity(pk=row["id"])
    for name in STATE_LIMITS:
        setattr(identity, name, row[name])
    identity.last_posted_at = row["last_posted_at"]
    identity.last_checked_at = now
    identity.updated_at = now
    return identity


def _succeeded(
    row: dict[str, Any],
    result: FetchResult,
    now: dt.datetime,
    weekly: int,
    rng: random.Random | None,
) -> SocialIdentity:
    """Fine again: counters cleared, due again as often as the person posts."""
    identity = _state(row, now)
    for name, limit in STATE_LIMITS.items():
        value = getattr(result, name)
        if value is not None:
            setattr(identity, name, value[:limit])
    identity.consecutive_failures = 0
    identity.last_error = identity.needs_attention = ""
    identity.last_posted_at = _last_posted(row, result, now)
    identity.next_check_at = next_check_after_success(now, posts_last_week=weekly, rng=rng)
    return identity


def _failed(
    row: dict[str, Any], error: SourceError, now: dt.datetime, rng: random.Random | None
) -> SocialIdentity:
    """Count the failure and back off; stop polling (needs attention) when it is permanent or
    after POST_SOURCE_MAX_FAILURES in a row. A server asking us to wait (429) is not the
    source's fault: it delays the source without counting towards that limit."""
    identity = _state(row, now)
    rate_limited = error.retry_after is not None and not error.permanent
    failures = row["consecutive_failures"] + (0 if rate_limited else 1)
    reason = error.message[:500]
    identity.consecutive_failures = failures
    identity.last_error = reason
    identity.needs_attention = ""
    if error.permanent:
        identity.needs_attention = reason
    elif failures >= settings.POST_SOURCE_MAX_FAILURES:
        identity.needs_attention = f"Failed {failures} times in a row; last error: {reason}"[:500]
    identity.next_check_at = next_check_after_failure(
        now, failures=max(failures, 1), retry_after=error.retry_after, rng=rng
    )
    return identity
