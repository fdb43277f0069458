"""/engagements and /goals: what members did with the feed, and their daily targets."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import errors
from crm.errors import PermissionDenied, ValidationFailed
from crm.models import Membership, Role
from crm.selectors.leads import lead_get
from integrations.feed.engagement_schemas import (
    EngagementOut,
    EngagementPageOut,
    EngagementQuery,
    GoalIn,
    GoalOut,
    GoalProgressOut,
    GoalProgressQuery,
    PostEngagementIn,
)
from integrations.feed.engagement_selectors import EngagementFilters, engagements_page
from integrations.feed.goals import GoalProgress, goal_of, goal_progress
from integrations.feed.selectors import post_get
from integrations.feed.services.engagements import engagement_record
from integrations.feed.services.goals import goals_set

router = Router(tags=["feed"])


@router.post(
    "/engagements",
    response={201: EngagementOut, 200: EngagementOut, **errors(404, 422)},
    summary="Log an engagement",
    description="Liked, commented, connected or DM sent (on the lead's timeline, with the "
    "post's id in the payload; a Cold lead moves to Engaged), or skipped (only hides the post "
    "from your feed). Idempotent: the same kind on the same post again is a 200 with the "
    "first one.",
)
def engagement_create(request: ApiRequest, payload: PostEngagementIn):
    workspace = request.workspace
    post = post_get(workspace=workspace, post_id=payload.post_id) if payload.post_id else None
    lead_id = payload.lead_id or (post.lead_id if post is not None else None)
    if lead_id is None:
        raise ValidationFailed.field("lead_id", "Say which lead (a company post has none).")
    lead = lead_get(workspace=workspace, lead_id=lead_id)
    result = engagement_record(
        workspace=workspace,
        user=request.user,
        lead=lead,
        post=post,
        kind=payload.kind,
        comment=payload.comment,
        actor=actor_of(request),
    )
    return Status(201 if result.created else 200, result.engagement)


@router.get(
    "/engagements",
    response={200: EngagementPageOut, **errors(422)},
    summary="List engagements",
    description="Newest first, every member's unless `mine`.",
)
def engagements_list(request: ApiRequest, query: Query[EngagementQuery]):
    page = engagements_page(
        workspace=request.workspace,
        filters=EngagementFilters(
            lead_id=query.lead_id,
            post_id=query.post_id,
            kind=query.kind,
            user_id=request.user.pk if query.mine else None,
        ),
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


def _my_membership(request: ApiRequest) -> Membership:
    return Membership.objects.select_related("workspace").get(
        workspace=request.workspace, user=request.user
    )


def _goal_out(membership: Membership) -> dict:
    goal = goal_of(workspace=membership.workspace, user_id=membership.user_id)
    return {
        "engagements": goal.engagements,
        "comments": goal.comments,
        "time_zone": membership.zone.key,
    }


@router.get("/goals", response={200: GoalOut}, summary="Get your daily goals")
def goals_get(request: ApiRequest):
    return _goal_out(_my_membership(request))


@router.put(
    "/goals",
    response={200: GoalOut, **errors(422)},
    summary="Set your daily goals",
    description="Fields left out keep their value.",
)
def goals_put(request: ApiRequest, payload: GoalIn):
    goals_set(
        workspace=request.workspace,
        user=request.user,
        engagements=payload.engagements,
        comments=payload.comments,
        time_zone=payload.time_zone,
    )
    return _goal_out(_my_membership(request))


def _progress_out(progress: GoalProgress) -> dict:
    return {
        "user_id": progress.membership.user_id,
        "time_zone": progress.membership.zone.key,
        "engagements": progress.today.engagements,
        "engagements_target": progress.engagements_target,
        "comments": progress.today.comments,
        "comments_target": progress.comments_target,
        "streak": progress.streak,
        "last_days": [
            {"date": d.day, "engagements": d.engagements, "comments": d.comments, "met": d.met}
            for d in progress.last_days
        ],
    }


@router.get(
    "/goals/progress",
    response={200: GoalProgressOut, **errors(403, 404, 422)},
    summary="Daily goal progress",
    description="Today in the member's time zone, the last 7 days and the streak of days met. "
    "Owners and admins may ask for another member's.",
)
def goals_progress(request: ApiRequest, query: Query[GoalProgressQuery]):
    mine = _my_membership(request)
    membership = mine
    if query.user_id is not None and query.user_id != request.user.pk:
        membership = get_object_or_404(
            Membership.objects.select_related("workspace"),
            workspace=request.workspace,
            user_id=query.user_id,
        )
        if mine.role not in (Role.OWNER, Role.ADMIN):
            raise PermissionDenied("Only owners and admins see another member's progress.")
    return _progress_out(goal_progress(membership=membership))
