"""Schemas of the sequence editor, enrollment and results endpoints (the older ones: schemas.py)."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from crm.api.schemas.common import InputSchema, QuerySchema, RecordId
from crm.api.schemas.leads import LeadFilterQuery
from outreach.models import EnrollmentStatus
from outreach.schemas import PreviewOut, SkippedOut


class SequenceUpdateIn(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    mailbox_ids: list[RecordId] | None = Field(None, max_length=200)
    stop_on_reply: bool | None = None
    stop_company_on_reply: bool | None = None
    use_lead_timezone: bool | None = None
    unsubscribe_line: bool | None = None


class StepUpdateIn(InputSchema):
    delay_days: int | None = Field(None, ge=0, le=365)
    business_days: bool | None = None
    same_thread: bool | None = None


class StepMoveIn(InputSchema):
    direction: Literal[-1, 1] = Field(..., description="-1 = one place earlier, 1 = later.")


class VariantUpdateIn(InputSchema):
    subject: str = Field("", max_length=500)
    body: str = Field("", max_length=50_000)
    body_html: str = Field("", max_length=100_000)


class DraftIn(InputSchema):
    position: int = Field(..., ge=0, le=1000, description="The step's place, from 0.")
    step_id: RecordId | None = Field(None, description="The step being edited, if saved.")
    same_thread: bool = False
    subject: str = Field("", max_length=500)
    body: str = Field("", max_length=50_000)
    body_html: str = Field("", max_length=100_000)
    label: str = Field("A", min_length=1, max_length=10)
    enrollment_id: RecordId | None = Field(
        None, description="An enrollment of this sequence; none: a sample lead."
    )


class HeaderOut(Schema):
    name: str
    value: str


class DraftPreviewOut(Schema):
    lead: str
    errors: list[str]
    headers: list[HeaderOut]
    preview: PreviewOut | None


class EnrollmentsQuery(QuerySchema):
    """Paging and filters of a sequence's enrollments; nonsense is a 422 as on every list."""

    status: str = Field(
        "",
        pattern=f"^({'|'.join(EnrollmentStatus.values)})?$",
        description="Empty: every status.",
    )
    q: str = Field("", max_length=200, description="Words in the lead's name or email.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class EnrollFilterIn(LeadFilterQuery):
    model_config = ConfigDict(extra="forbid")


class EnrollIn(InputSchema):
    lead_ids: list[RecordId] | None = Field(None, max_length=10_000)
    list_id: RecordId | None = None
    filter: EnrollFilterIn | None = Field(
        None, description="The leads table's filters: every lead they match is enrolled."
    )
    slots: dict[str, dict[str, str]] | None = Field(
        None, description='Per lead id: {"42": {"slot1": "…"}} (with lead_ids only).'
    )


class EnrollOut(Schema):
    added: int
    enrollment_ids: list[int]
    skipped: list[SkippedOut]


class SlotsIn(InputSchema):
    slot1: str | None = Field(None, max_length=2000)
    slot2: str | None = Field(None, max_length=2000)
    slot3: str | None = Field(None, max_length=2000)


class BulkIn(InputSchema):
    enrollment_ids: list[RecordId] = Field(..., min_length=1, max_length=1000)
    action: Literal["pause", "resume", "stop"]


class RefusedOut(Schema):
    enrollment_id: int
    reason: str


class BulkOut(Schema):
    changed: int
    refused: list[RefusedOut]


class StoppedOut(Schema):
    status: str
    enrollments_stopped: int


class VariantResultOut(Schema):
    step: int
    variant: str
    enrolled: int
    sent: int
    replied: int
    reply_rate: float
    positive: int
    positive_rate: float
    bounced: int
    bounce_rate: float
    unsubscribed: int
    unsubscribe_rate: float


class DailyOut(Schema):
    days: list[str]
    sent: list[int]
    replied: list[int]


class ResultsOut(Schema):
    enrolled: int
    contacted: int = Field(..., description="Enrolled leads sent at least one email.")
    sent: int
    replied: int
    reply_rate: float = Field(..., description="Replied / contacted.")
    positive: int
    positive_rate: float
    bounced: int
    bounce_rate: float
    unsubscribed: int
    unsubscribe_rate: float
    by_status: dict[str, int]
    variants: list[VariantResultOut]
    daily: DailyOut


class ReplyOut(Schema):
    id: int
    lead_id: int | None
    from_email: str
    subject: str
    text: str
    positive: bool
    step: int | None
    variant: str | None
    received_at: str

    @staticmethod
    def resolve_step(obj) -> int | None:  # type: ignore[no-untyped-def]
        return obj.outbound.step_position + 1 if obj.outbound else None

    @staticmethod
    def resolve_variant(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.outbound.variant.label if obj.outbound else None

    @staticmethod
    def resolve_received_at(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.received_at.isoformat()


class PositiveIn(InputSchema):
    positive: bool = True
