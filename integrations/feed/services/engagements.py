"""A member engages with a lead's post from the feed (or logs a connection without a post)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.models import Lead, Workspace
from integrations.feed.engagement_models import TIMELINE_KINDS, Engagement, EngagementKind
from integrations.feed.models import Post
from pipelines.services import engagement_log

COMMENT_MAX = 5000


@dataclass(frozen=True)
class EngagementResult:
    engagement: Engagement
    created: bool


def _check(*, workspace: Workspace, lead: Lead, post: Post | None, kind: str) -> None:
    if kind not in EngagementKind.values:
        raise ValidationFailed.field("kind", f"Must be one of {', '.join(EngagementKind.values)}.")
    if lead.workspace_id != workspace.pk or (
        post is not None and post.workspace_id != workspace.pk
    ):
        raise ValidationFailed("The lead and the post must be in this workspace.")
    if post is None and kind == EngagementKind.SKIPPED:
        raise ValidationFailed.field("post_id", "Skipping hides a post: say which one.")
    if post is not None and post.lead_id is not None and post.lead_id != lead.pk:
        raise ValidationFailed.field("lead_id", "This post is another lead's.")
    if post is not None and post.lead_id is None and post.company_id != lead.company_id:
        raise ValidationFailed.field("lead_id", "This company post is not from the lead's company.")


def engagement_record(
    *,
    workspace: Workspace,
    user: User,
    lead: Lead,
    kind: str,
    actor: Actor,
    post: Post | None = None,
    comment: str = "",
) -> EngagementResult:
    """Record that ``user`` liked, commented, connected, sent a DM or skipped.

    Idempotent: the same kind on the same post by the same member is recorded once (the second
    call returns the first); without a post, once per lead, kind and day. Everything but a skip
    goes on the lead's timeline through pipelines' ``engagement_log`` (with the post's id in
    the payload), which also moves a Cold lead to Engaged. A skip only hides the post from this
    member's feed.
    """
    _check(workspace=workspace, lead=lead, post=post, kind=kind)
    text = comment.strip()
    if len(text) > COMMENT_MAX:
        raise ValidationFailed.field("comment", f"At most {COMMENT_MAX} characters.")
    with transaction.atomic():
        if post is None:
            # Serialises post-less engagements on this lead, so "once a day" holds under races.
            Lead.objects.select_for_update().filter(pk=lead.pk).first()
            start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            same = Engagement.objects.filter(
                user=user, lead=lead, kind=kind, post__isnull=True, created_at__gte=start
            ).first()
            if same is not None:
                return EngagementResult(same, False)
        try:
            with transaction.atomic():
                engagement = Engagement.objects.create(
                    workspace=workspace, user=user, lead=lead, post=post, kind=kind, comment=text
                )
        except IntegrityError:
            return EngagementResult(Engagement.objects.get(user=user, post=post, kind=kind), False)
        if kind in TIMELINE_KINDS:
            payload = {"post_id": post.pk, "post_url": post.url} if post is not None else {}
            activity = engagement_log(lead=lead, kind=kind, actor=actor, body=text, payload=payload)
            engagement.activity_id = activity.pk
            engagement.save(update_fields=["activity_id"])
    return EngagementResult(engagement, True)
