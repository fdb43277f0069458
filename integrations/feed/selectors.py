"""Reads of sources and posts, always scoped to a workspace (another workspace's row is a 404)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from crm.errors import ValidationFailed
from crm.models import Company, Lead, ListMembership, Workspace
from integrations.feed.models import PUSH_ONLY_NETWORKS, Network, Post, SocialIdentity


def identity_get(*, workspace: Workspace, identity_id: int) -> SocialIdentity:
    return get_object_or_404(SocialIdentity, workspace=workspace, pk=identity_id)


def identities_of(
    *, workspace: Workspace, lead: Lead | None = None, company: Company | None = None
) -> QuerySet[SocialIdentity]:
    """A lead's or a company's sources, oldest first."""
    owner = {"lead": lead} if lead is not None else {"company": company, "lead__isnull": True}
    return SocialIdentity.objects.filter(workspace=workspace, **owner).order_by("created_at", "id")


def fetchable_networks() -> list[str]:
    """Networks the refresh polls: not LinkedIn (pushed only), X only with a budget and key."""
    skip = set(PUSH_ONLY_NETWORKS)
    if not (settings.X_MONTHLY_READ_BUDGET and settings.X_BEARER_TOKEN):
        skip.add(Network.X)
    return [n for n in Network.values if n not in skip]


def sources_to_refresh(
    *, now: dt.datetime, workspace: Workspace | None = None, everything: bool = False
) -> QuerySet[SocialIdentity]:
    """The sources due at ``now`` (``everything``: every enabled one, those needing attention
    included: running it is retrying by hand)."""
    qs = SocialIdentity.objects.filter(
        enabled=True, network__in=fetchable_networks(), next_check_at__isnull=False
    )
    if not everything:
        qs = qs.filter(needs_attention="", next_check_at__lte=now)
    if workspace is not None:
        qs = qs.filter(workspace=workspace)
    return qs


def in_batches(
    qs: QuerySet[SocialIdentity], *, fields: tuple[str, ...], batch: int = 2000
) -> Iterator[list[dict[str, Any]]]:
    """``qs`` as lists of plain rows, walked by id (memory stays flat whatever the count)."""
    last_id = 0
    while True:
        rows = list(qs.filter(pk__gt=last_id).order_by("pk").values(*fields)[:batch])
        if not rows:
            return
        yield rows
        last_id = rows[-1]["id"]


def post_get(*, workspace: Workspace, post_id: int) -> Post:
    return get_object_or_404(Post, workspace=workspace, pk=post_id)


@dataclass(frozen=True)
class PostFilters:
    lead_id: int | None = None
    company_id: int | None = None
    list_id: int | None = None
    network: str | None = None
    since: dt.datetime | None = None


@dataclass
class PostPage:
    posts: list[Post]
    next_cursor: str | None


def posts_filtered(*, workspace: Workspace, filters: PostFilters) -> QuerySet[Post]:
    qs = Post.objects.filter(workspace=workspace)
    if filters.lead_id is not None:
        qs = qs.filter(lead_id=filters.lead_id)
    if filters.company_id is not None:
        qs = qs.filter(company_id=filters.company_id)
    if filters.list_id is not None:
        qs = qs.filter(
            Exists(
                ListMembership.objects.filter(
                    lead=OuterRef("lead_id"), lead_list_id=filters.list_id
                )
            )
        )
    if filters.network:
        qs = qs.filter(network=filters.network)
    if filters.since is not None:
        qs = qs.filter(posted_at__gte=filters.since)
    return qs


def _cursor_encode(post: Post) -> str:
    raw = json.dumps([post.posted_at.isoformat(), post.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        when, pk = json.loads(base64.urlsafe_b64decode(padded))
        value = dt.datetime.fromisoformat(when)
        if not isinstance(pk, int) or value.tzinfo is None:
            raise ValueError
    except (ValueError, TypeError, json.JSONDecodeError):
        raise ValidationFailed.field("cursor", "The cursor is not valid.") from None
    return value, pk


def posts_page(
    *, workspace: Workspace, filters: PostFilters, cursor: str | None = None, limit: int = 50
) -> PostPage:
    """Newest first, keyset-paged on (posted_at, id): the last page is as fast as the first."""
    qs = posts_filtered(workspace=workspace, filters=filters)
    if cursor:
        when, pk = _cursor_decode(cursor)
        qs = qs.filter(Q(posted_at__lt=when) | Q(posted_at=when, pk__lt=pk))
    posts = list(qs.order_by("-posted_at", "-id")[: limit + 1])
    more = len(posts) > limit
    posts = posts[:limit]
    return PostPage(posts=posts, next_cursor=_cursor_encode(posts[-1]) if more else None)
