"""What members do with the feed: engagements on posts, their daily targets, readiness rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.models import Lead, Workspace

DEFAULT_ENGAGEMENTS_TARGET = 20
DEFAULT_COMMENTS_TARGET = 5
DEFAULT_READY_AFTER_ENGAGED_DAYS = 3


class EngagementKind(models.TextChoices):
    LIKED = "liked", "Liked"
    COMMENTED = "commented", "Commented"
    CONNECTED = "connected", "Connected"
    DM_SENT = "dm_sent", "DM sent"
    # Only hides the post from this member's feed: nothing on the lead's timeline.
    SKIPPED = "skipped", "Skipped"


# What the daily engagements goal counts.
GOAL_KINDS = (EngagementKind.LIKED, EngagementKind.COMMENTED, EngagementKind.CONNECTED)
# What goes on the lead's timeline (through pipelines' engagement_log).
TIMELINE_KINDS = frozenset(
    {
        EngagementKind.LIKED,
        EngagementKind.COMMENTED,
        EngagementKind.CONNECTED,
        EngagementKind.DM_SENT,
    }
)


class Engagement(models.Model):
    """One member's action on a lead, usually on one of its posts (idempotent per post and kind).

    ``post_id`` is a plain column copy of the post (``post`` is NULL for an engagement logged
    without a post, e.g. a connection request); ``activity_id`` is the timeline entry it wrote.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="engagements")
    post = models.ForeignKey(
        "feed.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="engagements"
    )
    kind = models.CharField(max_length=16, choices=EngagementKind.choices)
    comment = models.TextField(blank=True)
    activity_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "post", "kind"],
                condition=models.Q(post__isnull=False),
                name="engagement_once_per_post",
            ),
        ]
        indexes = [
            # "Not engaged by me yet" (an anti-join per post) and a member's goals by day.
            models.Index(fields=["user", "post"], name="engagement_user_post"),
            models.Index(fields=["workspace", "user", "-created_at"], name="engagement_user_day"),
            models.Index(fields=["lead", "-created_at"], name="engagement_lead_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.lead_id} by {self.user_id}"


class DailyGoal(models.Model):
    """A member's daily targets in a workspace (defaults until they change them)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    engagements = models.PositiveIntegerField(default=DEFAULT_ENGAGEMENTS_TARGET)
    comments = models.PositiveIntegerField(default=DEFAULT_COMMENTS_TARGET)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="daily_goal_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.engagements} engagements, {self.comments} comments"


class FeedSettings(models.Model):
    """Per-workspace settings of the feed."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    # A lead engaged with on this many different days, and not contacted yet, is ready.
    ready_after_engaged_days = models.PositiveSmallIntegerField(
        default=DEFAULT_READY_AFTER_ENGAGED_DAYS
    )

    class Meta:
        verbose_name_plural = "feed settings"

    def __str__(self) -> str:
        return f"ready after {self.ready_after_engaged_days} days"
