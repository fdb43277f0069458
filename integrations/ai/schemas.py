"""API shapes of AI personalization: settings (the key is write-only), drafts, decisions."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from crm.api.schemas.common import ApiDateTime, InputSchema, RecordId, omittable


class AiSettingsOut(Schema):
    enabled: bool
    base_url: str = Field(description="The workspace's URL; empty = the instance default.")
    model: str = Field(description="The workspace's model; empty = the instance default.")
    has_api_key: bool = Field(description="Whether the workspace stored a key (never shown).")
    effective_base_url: str
    effective_model: str


class AiSettingsPatch(InputSchema):
    enabled: bool = omittable()
    base_url: str = omittable(max_length=500, description="An OpenAI-compatible …/v1 URL.")
    model: str = omittable(max_length=200)
    api_key: str = omittable(max_length=500, description="Write-only; an empty string clears it.")


class ConnectionTestOut(Schema):
    ok: bool
    model: str
    message: str


class GenerateIn(InputSchema):
    enrollment_ids: list[RecordId] | None = Field(
        None,
        description="The enrollments to draft for; omitted = every live one.",
        max_length=10_000,
    )


class GenerateOut(Schema):
    queued: bool
    sequence_id: int
    enrollment_ids: list[int] | None


class DraftSourceOut(Schema):
    id: int
    kind: str
    text: str


class DraftOut(Schema):
    id: int
    enrollment_id: int
    sequence_id: int
    lead_id: int
    status: str
    reason: str
    slot1: str
    slot2: str
    slot3: str
    sources: list[DraftSourceOut]
    source_ids: list[int]
    approved_slots: dict[str, str]
    model: str
    prompt_tokens: int
    completion_tokens: int
    created_at: ApiDateTime
    decided_at: ApiDateTime | None

    @staticmethod
    def resolve_sequence_id(obj: Any) -> int:
        return int(obj.enrollment.sequence_id)

    @staticmethod
    def resolve_lead_id(obj: Any) -> int:
        return int(obj.enrollment.lead_id)


class ApproveIn(InputSchema):
    slot1: str = omittable(max_length=60, description="An edit of the subject.")
    slot2: str = omittable(max_length=200, description="An edit of the intro line.")
    slot3: str = omittable(max_length=200, description="An edit of the PS line.")
    overwrite: bool = Field(
        False, description="Replace slots that already have a value (typed or imported)."
    )


class ApproveOut(Schema):
    draft: DraftOut
    slots_written: list[str]
