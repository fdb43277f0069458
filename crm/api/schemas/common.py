"""Shapes shared by every resource: errors, inputs, pages, bulk changes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)

from crm.nul_characters import NUL_MESSAGE, has_nul
from crm.timebounds import date_problem, datetime_problem


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


def _storable_date(value: dt.date) -> dt.date:
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _storable_datetime(value: dt.datetime) -> dt.datetime:
    problem = datetime_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# Every date and date-time the API reads (query strings and bodies) is one of these.
ApiDate = Annotated[dt.date, AfterValidator(_storable_date)]
ApiDateTime = Annotated[dt.datetime, AfterValidator(_storable_datetime)]

# A time of day in a place (a send window's ends): "HH:MM" or "HH:MM:SS", no UTC offset. Not
# OpenAPI's `format: time`, which is RFC 3339's and requires an offset.
_TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
_TIME_OF_DAY_SCHEMA = {"type": "string", "pattern": _TIME_OF_DAY, "examples": ["09:00"]}


def _time_of_day_in(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(_TIME_OF_DAY, value):
            raise ValueError("A time of day is HH:MM or HH:MM:SS, without a UTC offset.")
        return dt.time.fromisoformat(value)
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    raise ValueError("A time of day is HH:MM or HH:MM:SS, without a UTC offset.")


def _time_of_day_out(value: dt.time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


TimeOfDay = Annotated[
    dt.time, BeforeValidator(_time_of_day_in), WithJsonSchema(_TIME_OF_DAY_SCHEMA)
]
# The same in answers: a stored time prints as HH:MM (or HH:MM:SS), never with microseconds.
TimeOfDayOut = Annotated[
    dt.time, PlainSerializer(_time_of_day_out, return_type=str), WithJsonSchema(_TIME_OF_DAY_SCHEMA)
]


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omittable(**kwargs: Any) -> Any:
    """A field that may be left out (a default applies, or nothing changes) but is never null.

    Declare it with its plain type (``name: str = omittable(max_length=120)``): pydantic does not
    validate the unset default, so leaving it out works and an explicit null is a 422. Read such
    schemas with ``exclude_unset=True``.
    """
    return Field(None, json_schema_extra=_drop_default, **kwargs)


class QuerySchema(Schema):
    """Base of query strings and bodies: text without NUL characters."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store NUL in text; refuse it here rather than fail on save.
        if has_nul(value):
            raise ValueError(NUL_MESSAGE)
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
