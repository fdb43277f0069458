"""Custom field definition shapes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from crm.api.schemas.common import InputSchema, QuerySchema
from crm.models import CustomFieldType

Entity = Literal["lead", "company"]


class CustomFieldIn(InputSchema):
    key: str = Field(..., description="lower_snake_case; the key in `custom_fields`.")
    label: str = ""
    field_type: CustomFieldType = CustomFieldType.TEXT
    entity: Entity = "lead"
    choices: list[str] = Field(default_factory=list, description="For choice fields.")


class CustomFieldOut(Schema):
    id: int
    key: str
    label: str
    field_type: str
    entity: str
    choices: list[str]
    created_at: dt.datetime


class CustomFieldQuery(QuerySchema):
    entity: Entity = "lead"
