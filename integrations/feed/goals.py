"""How a member is doing against their daily goals, counted in their own time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from crm.models import Membership, Role, Workspace
from integrations.feed.engagement_models import (
    GOAL_KINDS,
    DailyGoal,
    Engagement,
    EngagementKind,
)

HISTORY_DAYS = 7
# The streak looks this far back at most; the first look is shorter.
STREAK_LOOKBACK_DAYS = 365
STREAK_FIRST_LOOK_DAYS = 35


@dataclass(frozen=True)
class DayProgress:
    day: dt.date
    engagements: int
    comments: int
    met: bool


@dataclass(frozen=True)
class GoalProgress:
    membership: Membership
    engagements_target: int
    comments_target: int
    today: DayProgress
    # Oldest first, today last.
    last_days: list[DayProgress]
    streak: int

    @property
    def engagements_percent(self) -> int:
        return _percent(self.today.engagements, self.engagements_target)

    @property
    def comments_percent(self) -> int:
        return _percent(self.today.comments, self.comments_target)


def _percent(done: int, target: int) -> int:
    return 100 if target == 0 else min(100, round(100 * done / target))


def goal_of(*, workspace: Workspace, user_id: int) -> DailyGoal:
    """The member's targets (the defaults, unsaved, until they set their own)."""
    goal = DailyGoal.objects.filter(workspace=workspace, user_id=user_id).first()
    return goal or DailyGoal(workspace=workspace, user_id=user_id)


def _daily_counts(
    membership: Membership, zone: ZoneInfo, today: dt.date, days: int
) -> dict[dt.date, tuple[int, int]]:
    """Engagements and comments per day of the member's zone, over the last ``days`` days."""
    since = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(), zone)
    rows = (
        Engagement.objects.filter(
            workspace_id=membership.workspace_id,
            user_id=membership.user_id,
            kind__in=GOAL_KINDS,
            created_at__gte=since,
        )
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(
            engagements=Count("id"), comments=Count("id", filter=Q(kind=EngagementKind.COMMENTED))
        )
    )
    return {row["day"]: (row["engagements"], row["comments"]) for row in rows}


def _met_since(
    counts: dict[dt.date, tuple[int, int]], goal: DailyGoal, today: dt.date, days: int
) -> bool:
    """Whether every day from ``days`` ago to yesterday met the goal."""
    for n in range(1, days + 1):
        engagements, comments = counts.get(today - dt.timedelta(days=n), (0, 0))
        if engagements < goal.engagements or comments < goal.comments:
            return False
    return True


def goal_progress(*, membership: Membership, now: dt.datetime | None = None) -> GoalProgress:
    """Today's counts, the last seven days and the streak of days met, in the member's zone."""
    zone = membership.zone
    today = timezone.localtime(now or timezone.now(), zone).date()
    goal = goal_of(workspace=membership.workspace, user_id=membership.user_id)
    # A month of days first; a year only for the members whose streak is longer than that.
    counts = _daily_counts(membership, zone, today, STREAK_FIRST_LOOK_DAYS)
    if _met_since(counts, goal, today, STREAK_FIRST_LOOK_DAYS - 1):
        counts = _daily_counts(membership, zone, today, STREAK_LOOKBACK_DAYS)

    def day_progress(day: dt.date) -> DayProgress:
        engagements, comments = counts.get(day, (0, 0))
        met = engagements >= goal.engagements and comments >= goal.comments
        return DayProgress(day, engagements, comments, met)

    last_days = [
        day_progress(today - dt.timedelta(days=n)) for n in range(HISTORY_DAYS - 1, -1, -1)
    ]
    # Today still counts towards the streak when it is met, but does not break it before.
    day = today if last_days[-1].met else today - dt.timedelta(days=1)
    streak = 0
    while streak < STREAK_LOOKBACK_DAYS and day_progress(day).met:
        streak += 1
        day -= dt.timedelta(days=1)
    return GoalProgress(
        membership=membership,
        engagements_target=goal.engagements,
        comments_target=goal.comments,
        today=last_days[-1],
        last_days=last_days,
        streak=streak,
    )


def team_progress(*, membership: Membership, now: dt.datetime | None = None) -> list[GoalProgress]:
    """Every member's progress for owners and admins; a member sees only their own."""
    if membership.role not in (Role.OWNER, Role.ADMIN):
        return [goal_progress(membership=membership, now=now)]
    members = (
        Membership.objects.filter(workspace_id=membership.workspace_id)
        .select_related("user", "workspace")
        .order_by("user__email")
    )
    return [goal_progress(membership=m, now=now) for m in members]
