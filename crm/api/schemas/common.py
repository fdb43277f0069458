"""Shapes shared by every resource: errors, inputs, pages, bulk changes."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator


class ErrorOut(Schema):
    """Every 4xx answer: a sentence for people, and the fields at fault for programs."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages by field name, e.g. custom_fields.budget."
    )
    existing_id: int | None = Field(
        None, description="On a duplicate (409): the id of the record that already exists."
    )


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Response declarations for error codes, so the docs show what each endpoint can answer."""
    return dict.fromkeys((401, *codes), ErrorOut)


# Ids fit a 64-bit column: a larger number is a 422 here, not an overflow in the database.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class QuerySchema(Schema):
    """Base of query strings and bodies: text without NUL characters."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store NUL in text; refuse it here rather than fail on save.
        if _has_nul(value):
            raise ValueError("Text cannot contain NUL characters.")
        return value


class InputSchema(QuerySchema):
    """Base of request bodies: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class LeadIdsIn(InputSchema):
    lead_ids: list[RecordId] = Field(
        ..., min_length=1, max_length=1000, description="Up to 1,000 lead ids per call."
    )


class BulkChangeOut(Schema):
    changed: int = Field(..., description="How many leads changed (others already were so).")


class OffsetPageQuery(QuerySchema):
    """Paging of the short collections (companies, tasks); leads use a cursor instead."""

    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


def scalar_custom_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Custom field values are text, numbers, booleans or null; the definition decides which."""
    for key, value in (values or {}).items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ValueError(f"'{key}' must be text, a number, true/false or null.")
    return values
