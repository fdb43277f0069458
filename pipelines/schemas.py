"""API shapes of the pipelines app: explicit In/Out schemas, unknown input fields refused."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from crm.api.schemas.common import ApiDateTime, InputSchema, QuerySchema, RecordId
from pipelines.models import StageKind
from pipelines.selectors.board import BoardFilters

Currency = str


class StageOut(Schema):
    id: int
    name: str
    kind: StageKind
    position: int
    probability: int


class PipelineOut(Schema):
    id: int
    name: str
    is_default: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj) -> list:  # type: ignore[no-untyped-def]
        return list(obj.stages.all())


class StageIn(InputSchema):
    name: str = Field(..., max_length=80)
    kind: StageKind = StageKind.COLD
    probability: int = Field(0, ge=0, le=100)


class StageCreateIn(StageIn):
    position: int | None = Field(None, ge=0, description="0-based; the end when omitted.")


class StagePatch(InputSchema):
    name: str | None = Field(None, max_length=80)
    kind: StageKind | None = None
    probability: int | None = Field(None, ge=0, le=100)


class StageOrderIn(InputSchema):
    stage_ids: list[RecordId] = Field(..., min_length=1, max_length=100)


class PipelineIn(InputSchema):
    name: str = Field(..., max_length=120)
    stages: list[StageIn] | None = Field(None, description="The standard stages when omitted.")


class PipelinePatch(InputSchema):
    name: str = Field(..., max_length=120)


class MovedOut(Schema):
    moved: int


class Money(Schema):
    total: int = Field(..., description="Minor units (cents).")
    weighted: int = Field(..., description="Sum of value × probability, minor units.")


class ColumnOut(Schema):
    stage: StageOut
    count: int
    totals: dict[Currency, Money] = Field(..., description="By ISO currency; never converted.")

    @staticmethod
    def resolve_totals(obj) -> dict:  # type: ignore[no-untyped-def]
        return {cur: {"total": t, "weighted": w} for cur, (t, w) in obj.totals.items()}


class BoardOut(Schema):
    pipeline: PipelineOut
    columns: list[ColumnOut]


class BoardQuery(QuerySchema):
    owner_id: RecordId | None = None
    list_id: RecordId | None = None
    tag_id: RecordId | None = None
    q: str = Field("", max_length=200)

    def to_filters(self) -> BoardFilters:
        return BoardFilters(
            owner_id=self.owner_id, list_id=self.list_id, tag_id=self.tag_id, q=self.q
        )


class ColumnQuery(BoardQuery):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(25, ge=1, le=200)


class LeadBrief(Schema):
    id: int
    name: str
    email: str | None
    company: str | None

    @staticmethod
    def resolve_name(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj)

    @staticmethod
    def resolve_company(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.company.name if obj.company_id else None


class EntryOut(Schema):
    id: int
    pipeline_id: int
    stage_id: int
    lead: LeadBrief
    value_minor: int
    currency: str
    probability: int | None = Field(..., description="The deal's own; null means the stage's.")
    owner_id: int | None
    entered_at: dt.datetime
    catch_up_count: int
    last_conversation_at: dt.datetime | None


class EntryPageOut(Schema):
    items: list[EntryOut]
    next_cursor: str | None


class EntryIn(InputSchema):
    lead_id: RecordId
    stage_id: RecordId | None = None


class EntryPatch(InputSchema):
    value_minor: int | None = Field(None, ge=0, le=2**62)
    currency: str | None = Field(
        None,
        min_length=3,
        max_length=3,
        description="ISO 4217; with `value_minor` and without it: the workspace's default.",
    )
    probability: int | None = Field(None, ge=0, le=100)
    owner_id: RecordId | None = None


class MoveIn(InputSchema):
    """Where to: `to_stage` (name or kind) or `to_stage_id`, exactly one."""

    to_stage: str | None = Field(
        None,
        max_length=80,
        description="A stage's name (any case) or kind, e.g. `Warm` or `customer`; a kind that "
        "several stages share (`catch_up`) is a 422 naming them.",
        examples=["Warm"],
    )
    to_stage_id: RecordId | None = None
    expected_from_stage: str | None = Field(
        None,
        max_length=80,
        description="Optional: the stage (name or kind) you saw the lead in; a 409 only when "
        "the lead has moved elsewhere meanwhile.",
    )
    expected_from_stage_id: RecordId | None = Field(
        None, description="Optional: the same as `expected_from_stage`, by id."
    )
    reason: str = Field("", max_length=300)


class LeadMoveIn(MoveIn):
    pipeline_id: RecordId | None = Field(None, description="The default pipeline when omitted.")


class StageChangeOut(Schema):
    id: int
    from_stage_id: int | None
    to_stage_id: int | None
    actor_type: str
    actor_user_id: int | None
    actor_name: str
    reason: str
    created_at: dt.datetime


class EngagementIn(InputSchema):
    kind: Literal["liked", "commented", "connected", "dm_sent"]
    body: str = Field("", max_length=10_000)


class ConversationIn(InputSchema):
    kind: Literal["call", "meeting", "note"]
    body: str = Field("", max_length=10_000)


class EventIn(InputSchema):
    event_key: str = Field("", max_length=200, description="Replaying the same key is a no-op.")


class PaymentIn(EventIn):
    amount_minor: int | None = Field(None, ge=0, le=2**62)
    currency: str | None = Field(
        None, min_length=3, max_length=3, description="Default: the workspace's default currency."
    )


class PersonIn(InputSchema):
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    linkedin_url: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=50)
    company_name: str | None = Field(None, max_length=200)


class ReferralsIn(InputSchema):
    people: list[PersonIn] = Field(..., min_length=1, max_length=20)


class ReferralsOut(Schema):
    referred_by: LeadBrief | None
    referrals: list[LeadBrief]


class SettingsOut(Schema):
    engagement_moves_to_engaged: bool
    reply_moves_to_warm: bool
    payment_moves_to_customer: bool
    conversation_moves_to_next_catch_up: bool
    last_catch_up_asks_for_referrals: bool
    catch_up_reminders: bool
    catch_up_after_days: int
    default_currency: str


class SettingsPatch(InputSchema):
    engagement_moves_to_engaged: bool | None = None
    reply_moves_to_warm: bool | None = None
    payment_moves_to_customer: bool | None = None
    conversation_moves_to_next_catch_up: bool | None = None
    last_catch_up_asks_for_referrals: bool | None = None
    catch_up_reminders: bool | None = None
    catch_up_after_days: int | None = Field(None, ge=1, le=365)
    default_currency: str | None = Field(None, min_length=3, max_length=3)


class RangeQuery(QuerySchema):
    pipeline_id: RecordId | None = Field(None, description="The default pipeline when omitted.")
    since: ApiDateTime | None = Field(None, description="Default: 90 days ago.")
    until: ApiDateTime | None = Field(None, description="Default: now.")
