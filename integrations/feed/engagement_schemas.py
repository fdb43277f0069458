"""API shapes of engagements and daily goals."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from crm.api.schemas.common import InputSchema, QuerySchema, RecordId
from integrations.feed.engagement_models import EngagementKind
from integrations.feed.services.engagements import COMMENT_MAX
from integrations.feed.services.goals import TARGET_MAX


class PostEngagementIn(InputSchema):
    lead_id: RecordId | None = Field(
        None, description="The lead engaged with; optional when `post_id` is a lead's post."
    )
    post_id: RecordId | None = Field(
        None, description="The post engaged with (required for `skipped`)."
    )
    kind: EngagementKind
    comment: str = Field("", max_length=COMMENT_MAX, description="What you wrote (commented).")


class EngagementOut(Schema):
    id: int
    user_id: int
    lead_id: int
    post_id: int | None
    kind: str
    comment: str
    activity_id: int | None = Field(
        None, description="The entry it wrote on the lead's timeline (none for a skip)."
    )
    created_at: dt.datetime


class EngagementPageOut(Schema):
    items: list[EngagementOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; null on the last page."
    )


class EngagementQuery(QuerySchema):
    lead_id: RecordId | None = None
    post_id: RecordId | None = None
    kind: EngagementKind | None = None
    mine: bool = Field(False, description="Only the caller's own engagements.")
    cursor: str | None = Field(None, max_length=40)
    limit: int = Field(50, ge=1, le=200)


class GoalOut(Schema):
    engagements: int = Field(..., description="Likes + comments + connections a day.")
    comments: int = Field(..., description="Comments a day.")
    time_zone: str = Field(..., description="The IANA zone days are counted in.")


class GoalIn(InputSchema):
    engagements: int | None = Field(None, ge=0, le=TARGET_MAX)
    comments: int | None = Field(None, ge=0, le=TARGET_MAX)
    time_zone: str | None = Field(
        None, max_length=64, description="An IANA name, e.g. Europe/Berlin; empty: the instance's."
    )


class GoalDayOut(Schema):
    date: dt.date
    engagements: int
    comments: int
    met: bool


class GoalProgressOut(Schema):
    user_id: int
    time_zone: str
    engagements: int
    engagements_target: int
    comments: int
    comments_target: int
    streak: int = Field(..., description="Days in a row both targets were met.")
    last_days: list[GoalDayOut] = Field(..., description="The last 7 days, today last.")


class GoalProgressQuery(QuerySchema):
    user_id: RecordId | None = Field(
        None, description="Another member's progress (owners and admins)."
    )
