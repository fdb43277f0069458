"""A member's daily targets and time zone; the workspace's readiness rule."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import User
from django.db import transaction

from crm.errors import ValidationFailed
from crm.models import Membership, Workspace
from integrations.feed.engagement_models import DailyGoal, FeedSettings

TARGET_MAX = 1000
READY_DAYS_MAX = 60


def _target(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TARGET_MAX:
        raise ValidationFailed.field(name, f"A whole number from 0 to {TARGET_MAX}.")
    return value


def time_zone_checked(name: str) -> str:
    """``name`` if it is an IANA time zone ("" keeps the instance's)."""
    name = name.strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.field("time_zone", f"“{name}” is not a known time zone.") from None
    return name


def goals_set(
    *,
    workspace: Workspace,
    user: User,
    engagements: int | None = None,
    comments: int | None = None,
    time_zone: str | None = None,
) -> DailyGoal:
    """Change a member's daily targets and, with ``time_zone``, the zone their days are counted
    in (an argument left as None keeps its value)."""
    engagements = _target("engagements", engagements)
    comments = _target("comments", comments)
    zone = time_zone_checked(time_zone) if time_zone is not None else None
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(workspace=workspace, user=user)
        goal, _ = DailyGoal.objects.get_or_create(workspace=workspace, user=user)
        if engagements is not None:
            goal.engagements = engagements
        if comments is not None:
            goal.comments = comments
        goal.save()
        if zone is not None and zone != membership.time_zone:
            membership.time_zone = zone
            membership.save(update_fields=["time_zone"])
    return goal


def feed_settings_set(*, workspace: Workspace, ready_after_engaged_days: int) -> FeedSettings:
    """Change how many different days of engagement make a lead ready for outreach."""
    days = ready_after_engaged_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= READY_DAYS_MAX:
        raise ValidationFailed.field(
            "ready_after_engaged_days", f"A whole number from 1 to {READY_DAYS_MAX}."
        )
    feed_settings, _ = FeedSettings.objects.update_or_create(
        workspace=workspace, defaults={"ready_after_engaged_days": days}
    )
    return feed_settings
