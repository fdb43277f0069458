"""Company shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from crm.api.schemas.common import InputSchema, OffsetPageQuery, scalar_custom_values


class CompanyFieldsIn(InputSchema):
    website: str | None = None
    domain: str | None = Field(
        None, description="Bare domain (acme.com); derived from the website when not given."
    )
    industry: str | None = None
    size: str | None = Field(None, examples=["11-50"])
    city: str | None = None
    region: str | None = None
    country: str | None = None
    address: str | None = None
    postal_code: str | None = None
    technologies: list[str] | None = None
    linkedin_url: str | None = None
    custom_fields: dict[str, Any] | None = None

    @field_validator("custom_fields")
    @classmethod
    def _scalar_values(cls, values: dict[str, Any] | None) -> dict[str, Any] | None:
        return scalar_custom_values(values)


class CompanyIn(CompanyFieldsIn):
    name: str


class CompanyPatch(CompanyFieldsIn):
    name: str | None = None


class CompanyOut(Schema):
    id: int
    name: str
    domain: str | None
    website: str
    industry: str
    size: str
    city: str
    region: str
    country: str
    address: str
    postal_code: str
    technologies: list[Any]
    linkedin_url: str
    custom_fields: dict[str, Any]
    lead_count: int

    @staticmethod
    def resolve_lead_count(obj: Any) -> int:
        # Collections annotate the count in their one query; a single record counts here.
        annotated = getattr(obj, "lead_count", None)
        return annotated if annotated is not None else obj.leads.count()

    created_at: dt.datetime
    updated_at: dt.datetime


class CompanyPageOut(Schema):
    items: list[CompanyOut]
    count: int


class CompanyQuery(OffsetPageQuery):
    q: str = Field("", max_length=200, description="Part of the name or domain.")
