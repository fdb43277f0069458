"""Posts for the feed-page, engagement and goal tests (written straight to the table: these
tests are about what happens after a post exists, not how it was fetched)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from crm.models import Company, Lead
from integrations.feed.models import Network, Post

_numbers = itertools.count(1)


def make_post(
    *,
    lead: Lead | None = None,
    company: Company | None = None,
    text: str = "Shipping is a habit.",
    network: str = Network.BLUESKY,
    posted_at: dt.datetime | None = None,
    hours_ago: float = 1,
) -> Post:
    n = next(_numbers)
    owner = lead if lead is not None else company
    assert owner is not None
    return Post.objects.create(
        workspace_id=owner.workspace_id,
        lead=lead,
        company=company if company is not None else (lead.company if lead else None),
        network=network,
        external_id=f"post-{n}",
        url=f"https://example.test/posts/{n}",
        text=text,
        posted_at=posted_at or timezone.now() - dt.timedelta(hours=hours_ago),
    )
