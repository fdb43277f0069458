"""Reads of engagements, scoped to a workspace (another workspace's row is a 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from crm.errors import ValidationFailed
from crm.models import Workspace
from integrations.feed.engagement_models import Engagement


@dataclass(frozen=True)
class EngagementFilters:
    lead_id: int | None = None
    post_id: int | None = None
    kind: str | None = None
    user_id: int | None = None


@dataclass
class EngagementPage:
    items: list[Engagement]
    next_cursor: str | None


def engagements_page(
    *, workspace: Workspace, filters: EngagementFilters, cursor: str | None, limit: int
) -> EngagementPage:
    """Newest first, keyset-paged on id (the cursor is the last id seen)."""
    qs: QuerySet[Engagement] = Engagement.objects.filter(workspace=workspace)
    if filters.lead_id is not None:
        qs = qs.filter(lead_id=filters.lead_id)
    if filters.post_id is not None:
        qs = qs.filter(post_id=filters.post_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.user_id is not None:
        qs = qs.filter(user_id=filters.user_id)
    if cursor:
        if not cursor.isdigit():
            raise ValidationFailed.field("cursor", "The cursor is not valid.")
        qs = qs.filter(pk__lt=int(cursor))
    items = list(qs.order_by("-id")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return EngagementPage(items, str(items[-1].pk) if more else None)
