"""Timeline shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from crm.api.schemas.common import InputSchema, QuerySchema
from crm.api.schemas.refs import UserRef


class NoteIn(InputSchema):
    body: str = Field(..., description="Up to 10,000 characters.")
    catch_up: bool = Field(
        False, description="A conversation with a customer: counts as a catch-up."
    )


class ActivityOut(Schema):
    id: int
    kind: str
    actor_type: str = Field(..., description="user, system, rule or integration.")
    actor_user: UserRef | None
    actor_name: str = Field("", description="The rule or integration that acted, if any.")
    body: str
    payload: dict[str, Any]
    created_at: dt.datetime

    @staticmethod
    def resolve_actor_name(obj: Any) -> str:
        return str(obj.payload.get("actor_name", ""))


class TimelineQuery(QuerySchema):
    limit: int = Field(50, ge=1, le=200, description="The most recent entries, newest first.")
