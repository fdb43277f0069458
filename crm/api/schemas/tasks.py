"""Task shapes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ninja import Field, Schema
from pydantic import TypeAdapter, ValidationError, field_validator

from crm.api.schemas.common import ApiDate, ApiDateTime, InputSchema, OffsetPageQuery, RecordId
from crm.api.schemas.refs import UserRef
from crm.models import TaskKind

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_ADAPTER: TypeAdapter[dt.date] = TypeAdapter(ApiDate)
_TIME_ADAPTER: TypeAdapter[dt.datetime] = TypeAdapter(ApiDateTime)


class TaskFieldsIn(InputSchema):
    kind: TaskKind | None = None
    due_at: ApiDateTime | ApiDate | None = Field(
        None, description="A date alone means 9:00 that day; no zone means the server's."
    )
    assignee_id: RecordId | None = Field(
        None, description="A member of the workspace; the key's user when not given."
    )

    @field_validator("due_at", mode="before")
    @classmethod
    def _date_alone(cls, value: Any) -> Any:
        # "2030-01-02" is a day, not midnight: the service schedules it for the morning.
        # Decided here, so that a refused date-time is not then read as a day (and one message).
        if value is None:
            return None
        day = isinstance(value, str) and _DAY.fullmatch(value.strip())
        try:
            if day:
                return _DAY_ADAPTER.validate_python(value.strip())
            return _TIME_ADAPTER.validate_python(value)
        except ValidationError as exc:
            raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


class TaskIn(TaskFieldsIn):
    title: str
    lead_id: RecordId | None = None


class TaskPatch(TaskFieldsIn):
    title: str | None = None


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    lead_id: int | None
    due_at: dt.datetime | None
    assignee: UserRef | None
    done: bool
    done_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_done(obj: Any) -> bool:
        return obj.done_at is not None


class TaskPageOut(Schema):
    items: list[TaskOut]
    count: int


class TaskQuery(OffsetPageQuery):
    lead_id: RecordId | None = None
    assignee_id: RecordId | None = None
    open_only: bool = Field(False, description="Leave out done tasks.")
