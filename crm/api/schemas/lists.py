"""Lead list shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from crm.api.schemas.common import InputSchema
from crm.models import ListKind


class ListIn(InputSchema):
    name: str
    kind: ListKind = ListKind.PROSPECTING
    size_limit: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="Most leads the list may hold. Omitted: 40 for target accounts, 100 for a "
        "dream 100, none otherwise.",
    )
    description: str = ""


class ListPatch(InputSchema):
    name: str | None = None
    kind: ListKind | None = None
    size_limit: int | None = Field(None, ge=1, le=1_000_000, description="null removes the limit.")
    description: str | None = None


class ListOut(Schema):
    id: int
    name: str
    kind: str
    size_limit: int | None
    description: str
    lead_count: int

    @staticmethod
    def resolve_lead_count(obj: Any) -> int:
        # Collections annotate the count in their one query; a single record counts here.
        annotated = getattr(obj, "lead_count", None)
        return annotated if annotated is not None else obj.memberships.count()

    created_at: dt.datetime
