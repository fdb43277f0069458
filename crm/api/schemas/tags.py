"""Tag shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from crm.api.schemas.common import InputSchema
from crm.services.tags import TAG_COLORS

_COLORS = ", ".join(TAG_COLORS)


class TagIn(InputSchema):
    name: str
    color: str = Field("", description=f"One of {_COLORS}; slate when not given.")


class TagPatch(InputSchema):
    name: str | None = None
    color: str | None = Field(None, description=f"One of {_COLORS}.")


class TagOut(Schema):
    id: int
    name: str
    color: str
    lead_count: int

    @staticmethod
    def resolve_lead_count(obj: Any) -> int:
        # Collections annotate the count in their one query; a single record counts here.
        annotated = getattr(obj, "lead_count", None)
        return annotated if annotated is not None else obj.leadtag_set.count()

    created_at: dt.datetime
