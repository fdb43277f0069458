"""The feed page's reads: post cards newest first with their lead's stage, lists and readiness.

Paged by keyset on (posted_at, id) — never OFFSET — so the hundredth page costs what the first
does. A company's own post (no lead) is one card shown with the company's leads, and lead
filters (list, stage, owner) keep it when one of those leads matches.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from crm.errors import ValidationFailed
from crm.models import Lead, LeadList, ListMembership, Workspace
from integrations.feed.engagement_models import Engagement
from integrations.feed.models import Post
from integrations.feed.readiness import ready_lead_ids
from pipelines.models import PipelineEntry, Stage

PAGE_SIZE = 25
BY_LEAD_POSTS = 3
COMPANY_LEADS_SHOWN = 3
# Up to this many leads match the lead filters, their ids are passed as a list.
FEW_LEADS = 2000


@dataclass(frozen=True)
class FeedFilters:
    list_id: int | None = None
    list_kind: str = ""
    stage_id: int | None = None
    owner_id: int | None = None
    network: str = ""
    # "Not engaged by me yet": hides the posts the member acted on (skips included).
    unengaged: bool = True
    age_days: int | None = None

    @property
    def on_leads(self) -> bool:
        return bool(self.list_id or self.list_kind or self.stage_id or self.owner_id)


@dataclass
class Card:
    post: Post
    # The lead an action on the card is logged on (a company post: its first lead shown).
    lead: Lead | None
    company_leads: list[Lead] = field(default_factory=list)
    stage: Stage | None = None
    lists: list[LeadList] = field(default_factory=list)
    ready: bool = False
    done: set[str] = field(default_factory=set)


@dataclass
class LeadGroup:
    lead: Lead | None
    cards: list[Card]


@dataclass
class FeedPage:
    cards: list[Card]
    next_cursor: str | None

    def by_lead(self) -> list[LeadGroup]:
        """The page's cards grouped by lead, in the order of each lead's newest post."""
        groups: dict[object, LeadGroup] = {}
        for card in self.cards:
            key = card.lead.pk if card.lead else ("company", card.post.company_id)
            group = groups.setdefault(key, LeadGroup(card.lead, []))
            if len(group.cards) < BY_LEAD_POSTS:
                group.cards.append(card)
        return list(groups.values())


def cursor_encode(post: Post) -> str:
    raw = json.dumps([post.posted_at.isoformat(), post.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        when, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        value = dt.datetime.fromisoformat(when)
        if not isinstance(pk, int) or value.tzinfo is None:
            raise ValueError
    except (ValueError, TypeError):
        raise ValidationFailed.field("cursor", "The cursor is not valid.") from None
    return value, pk


def _lead_id_sets(workspace: Workspace, filters: FeedFilters) -> list[QuerySet[Any]]:
    """One narrow query of lead ids per lead filter, each read from its own indexed table
    (list memberships, pipeline entries, the owner index) rather than from the leads table."""
    sets: list[QuerySet[Any]] = []
    if filters.list_id:
        sets.append(ListMembership.objects.filter(lead_list_id=filters.list_id).values("lead_id"))
    if filters.list_kind:
        sets.append(
            ListMembership.objects.filter(
                lead_list__workspace=workspace, lead_list__kind=filters.list_kind
            ).values("lead_id")
        )
    if filters.stage_id:
        sets.append(PipelineEntry.objects.filter(stage_id=filters.stage_id).values("lead_id"))
    if filters.owner_id:
        sets.append(
            Lead.objects.filter(workspace=workspace, owner_id=filters.owner_id).values("pk")
        )
    return sets


def feed_queries(*, workspace: Workspace, user: User, filters: FeedFilters) -> list[QuerySet[Post]]:
    """The posts the filters keep, unordered: one query, or with lead filters two — the leads'
    posts and the companies' own posts — so each gets a plan of its own (an OR of the two
    would hide how selective a filter is from PostgreSQL's planner)."""
    qs = Post.objects.filter(workspace=workspace)
    if filters.network:
        qs = qs.filter(network=filters.network)
    if filters.age_days:
        qs = qs.filter(posted_at__gte=timezone.now() - dt.timedelta(days=filters.age_days))
    if filters.unengaged:
        qs = qs.filter(~Exists(Engagement.objects.filter(user=user, post=OuterRef("pk"))))
    if not filters.on_leads:
        return [qs]
    leads = Lead.objects.filter(workspace=workspace)
    for lead_ids in _lead_id_sets(workspace, filters):
        leads = leads.filter(pk__in=lead_ids)
    few = list(leads.values_list("pk", flat=True)[: FEW_LEADS + 1])
    if len(few) <= FEW_LEADS:
        # A small set (a dream 100, a few target accounts) is spelled out: PostgreSQL then
        # reads just those leads' posts by index instead of walking every post newest first.
        company_ids = set(
            Lead.objects.filter(pk__in=few, company__isnull=False).values_list(
                "company_id", flat=True
            )
        )
        return [
            qs.filter(lead_id__in=few),
            qs.filter(lead__isnull=True, company_id__in=company_ids),
        ]
    # A company's own post stays when one of the company's leads matches.
    return [
        qs.filter(lead_id__in=leads.values("pk")),
        qs.filter(lead__isnull=True, company_id__in=leads.values("company_id")),
    ]


def feed_page(
    *,
    workspace: Workspace,
    user: User,
    filters: FeedFilters,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> FeedPage:
    """One page of cards, newest first, with everything a card shows (a fixed number of
    queries whatever the page size)."""
    after = cursor_decode(cursor) if cursor else None
    keys: list[tuple[dt.datetime, int]] = []
    for qs in feed_queries(workspace=workspace, user=user, filters=filters):
        if after is not None:
            when, pk = after
            qs = qs.filter(Q(posted_at__lt=when) | Q(posted_at=when, pk__lt=pk))
        # Keys first, rows after: the joins for the cards run on one page of posts, not on
        # every post a filter sorts.
        newest = qs.order_by("-posted_at", "-id").values_list("posted_at", "pk")
        keys.extend(newest[: limit + 1])
    keys.sort(reverse=True)
    more = len(keys) > limit
    page_ids = [pk for _, pk in keys[:limit]]
    rows = Post.objects.filter(pk__in=page_ids).select_related("lead", "lead__company", "company")
    by_id = {post.pk: post for post in rows}
    posts = [by_id[pk] for pk in page_ids if pk in by_id]
    cards = _cards(workspace=workspace, user=user, posts=posts)
    return FeedPage(cards, cursor_encode(posts[-1]) if more and posts else None)


def _cards(*, workspace: Workspace, user: User, posts: Sequence[Post]) -> list[Card]:
    company_ids = {p.company_id for p in posts if p.lead_id is None and p.company_id}
    company_leads: dict[int, list[Lead]] = defaultdict(list)
    if company_ids:
        for lead in Lead.objects.filter(workspace=workspace, company_id__in=company_ids).order_by(
            "company_id", "id"
        ):
            assert lead.company_id is not None
            if len(company_leads[lead.company_id]) < COMPANY_LEADS_SHOWN:
                company_leads[lead.company_id].append(lead)
    cards = []
    for post in posts:
        if post.lead is not None:
            cards.append(Card(post, post.lead))
        else:
            shown = company_leads.get(post.company_id or 0, [])
            cards.append(Card(post, shown[0] if shown else None, company_leads=shown))
    lead_ids = {c.lead.pk for c in cards if c.lead is not None}
    if not lead_ids:
        return cards
    stages = {
        e.lead_id: e.stage
        for e in PipelineEntry.objects.filter(
            pipeline__workspace=workspace, pipeline__is_default=True, lead_id__in=lead_ids
        ).select_related("stage")
    }
    lists: dict[int, list[LeadList]] = defaultdict(list)
    for m in ListMembership.objects.filter(lead_id__in=lead_ids).select_related("lead_list"):
        lists[m.lead_id].append(m.lead_list)
    ready = ready_lead_ids(workspace=workspace, lead_ids=lead_ids)
    done: dict[int, set[str]] = defaultdict(set)
    for post_id, kind in Engagement.objects.filter(
        user=user, post_id__in=[p.pk for p in posts]
    ).values_list("post_id", "kind"):
        done[post_id].add(kind)
    for card in cards:
        card.done = done.get(card.post.pk, set())
        if card.lead is not None:
            card.stage = stages.get(card.lead.pk)
            card.lists = lists.get(card.lead.pk, [])
            card.ready = card.lead.pk in ready
    return cards


def card_of(*, workspace: Workspace, user: User, post: Post) -> Card:
    """One card again (after an action), as the feed shows it."""
    return _cards(workspace=workspace, user=user, posts=[post])[0]
