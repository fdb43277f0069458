"""What the inbound lead URL accepts: a lead as ``POST /api/v1/leads`` takes it, plus where it
goes (a list, tags, a stage and a deal value)."""

from __future__ import annotations

from ninja import Field
from pydantic import field_validator

from crm.api.schemas.common import RecordId
from crm.api.schemas.leads import LeadIn


class InboundLeadIn(LeadIn):
    list_id: RecordId | None = Field(None, description="A list of the workspace.")
    list_name: str | None = Field(
        None, max_length=120, description="A list by name (created when new)."
    )
    tags: list[str] | None = Field(None, description="Tag names (created when new).")
    stage: str | None = Field(
        None, max_length=80, description="A stage of the default pipeline, by name or kind."
    )
    value_minor: int | None = Field(None, ge=0, description="Deal value in minor units.")
    currency: str | None = Field(None, description="ISO 4217 code of the deal value.")

    @field_validator("tags", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        # Form builders send one text field: "a, b".
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
