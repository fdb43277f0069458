"""Writes of posts: store what a fetch found, push one from elsewhere, delete, apply retention.

Every new post of a lead records ``post.detected`` in the transaction that saves it. Company
posts record no event (see ``integrations.feed.events``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.events import EventItem, events_record_each
from crm.events.subjects import subjects_build
from crm.models import Lead
from integrations.feed.content import from_html
from integrations.feed.models import Post
from integrations.feed.shapes import post_as_api
from integrations.feed.sources.base import FoundPost

FEED_ACTOR = Actor.integration("Feed")
PRUNE_BATCH = 5000


def _no_nul(value: str) -> str:
    return value.replace("\x00", "")  # PostgreSQL cannot store NUL in text


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.POSTS_RETENTION_DAYS)


@dataclass(frozen=True)
class FoundBatch:
    """Posts one source found, with whose they are."""

    workspace_id: int
    lead_id: int | None
    company_id: int | None
    identity_id: int | None
    network: str
    found: Sequence[FoundPost]


def posts_store(
    *,
    batches: Sequence[FoundBatch],
    now: dt.datetime,
    actor: Actor = FEED_ACTOR,
    pushed: bool = False,
) -> dict[int | None, list[Post]]:
    """Save the posts not seen before (by network and external id in the workspace) and younger
    than the retention; returns the new ones by identity id. Call inside the transaction of the
    fetch's outcome. A whole refresh group costs a few queries, plus one event row per new post
    of a lead."""
    cutoff = retention_cutoff(now)
    wanted: dict[tuple[int, str, str], tuple[FoundBatch, FoundPost]] = {}
    for batch in batches:
        for post in batch.found:
            key = (batch.workspace_id, batch.network, post.external_id)
            if post.posted_at >= cutoff and key not in wanted:
                wanted[key] = (batch, post)
    if not wanted:
        return {}
    known = {
        (w, n, e)
        for w, n, e in Post.objects.filter(
            workspace_id__in={key[0] for key in wanted},
            network__in={key[1] for key in wanted},
            external_id__in={key[2] for key in wanted},
        ).values_list("workspace_id", "network", "external_id")
    }
    rows: list[Post] = [
        Post(
            workspace_id=batch.workspace_id,
            lead_id=batch.lead_id,
            company_id=batch.company_id,
            identity_id=batch.identity_id,
            network=batch.network,
            external_id=_no_nul(p.external_id),
            url=_no_nul(p.url),
            title=_no_nul(p.title),
            text=p.text,
            html=p.html,
            # A date in the future is a feed's mistake: it would pin the post on top for ever.
            posted_at=min(p.posted_at, now),
            pushed=pushed,
        )
        for key, (batch, p) in wanted.items()
        if key not in known
    ]
    if not rows:
        return {}
    try:
        with transaction.atomic():
            created = Post.objects.bulk_create(rows)
    except IntegrityError:
        created = _one_by_one(rows)  # another writer stored some of them meanwhile
    _record_detected(created, actor)
    by_identity: dict[int | None, list[Post]] = {}
    for row in created:
        by_identity.setdefault(row.identity_id, []).append(row)
    return by_identity


def _record_detected(created: list[Post], actor: Actor) -> None:
    """One ``post.detected`` per new post of a lead, the lead shown as the API returns it."""
    lead_ids: dict[int, set[int]] = {}
    for row in created:
        if row.lead_id is not None:
            lead_ids.setdefault(row.workspace_id, set()).add(row.lead_id)
    subjects = {
        (workspace_id, lead_id): subject
        for workspace_id, ids in lead_ids.items()
        for lead_id, subject in subjects_build(
            "lead", workspace_id=workspace_id, ids=sorted(ids)
        ).items()
    }
    events_record_each(
        type="post.detected",
        actor=actor,
        items=[
            EventItem(
                workspace_id=row.workspace_id,
                subject_id=row.lead_id,
                subject=subjects.get((row.workspace_id, row.lead_id)),
                data={"post": post_as_api(row)},
            )
            for row in created
            if row.lead_id is not None
        ],
    )


def _one_by_one(rows: list[Post]) -> list[Post]:
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue
        created.append(row)
    return created


def post_push(
    *,
    lead: Lead,
    actor: Actor,
    network: str,
    url: str,
    text: str = "",
    posted_at: dt.datetime | None = None,
) -> tuple[Post, bool]:
    """A post from elsewhere (LinkedIn, X without a key, pasted on the lead page).

    ``(post, created)``: a URL already known in the workspace returns the existing post as is.
    """
    url = url.strip()
    if not url.startswith(("http://", "https://")) or len(url) > 1000 or " " in url:
        raise ValidationFailed.field("url", "Give the post's http(s) URL.")
    now = timezone.now()
    when = posted_at or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when < retention_cutoff(now):
        raise ValidationFailed.field(
            "posted_at",
            f"Older than {settings.POSTS_RETENTION_DAYS} days: such posts are not kept.",
        )
    with transaction.atomic():
        existing = Post.objects.filter(workspace_id=lead.workspace_id, url=url).first()
        if existing is not None:
            return existing, False
        plain, safe_html = from_html(text)
        found = FoundPost(
            external_id=url[:500], url=url, posted_at=when, text=plain, html=safe_html
        )
        batch = FoundBatch(
            workspace_id=lead.workspace_id,
            lead_id=lead.pk,
            company_id=lead.company_id,
            identity_id=None,
            network=network,
            found=[found],
        )
        created = posts_store(batches=[batch], now=now, actor=actor, pushed=True).get(None)
    if created:
        return created[0], True
    # Same network and id under another URL spelling: that post.
    return Post.objects.get(
        workspace_id=lead.workspace_id, network=network, external_id=url[:500]
    ), False


def post_delete(*, post: Post) -> None:
    """Remove a post (a pushed one typed wrong, or one the user does not want to see)."""
    post.delete()


def posts_prune(*, now: dt.datetime | None = None) -> int:
    """Delete posts older than POSTS_RETENTION_DAYS, in batches; returns how many."""
    cutoff = retention_cutoff(now or timezone.now())
    total = 0
    while True:
        ids = list(
            Post.objects.filter(posted_at__lt=cutoff).values_list("pk", flat=True)[:PRUNE_BATCH]
        )
        if not ids:
            return total
        total += Post.objects.filter(pk__in=ids).delete()[0]
