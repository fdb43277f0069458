"""Lead shapes: create, partial update, filters of the lead table, and the lead itself."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from crm.api.schemas.common import (
    ApiDateTime,
    InputSchema,
    QuerySchema,
    RecordId,
    scalar_custom_values,
)
from crm.api.schemas.refs import CompanyRef, TagRef, UserRef
from crm.models import EmailStatus
from crm.selectors.leads import LeadFilters


class LeadFieldsIn(InputSchema):
    """What a lead is made of. Emails and LinkedIn URLs are normalized (see crm.normalize)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = Field(None, description="Normalized; unique in the workspace.")
    email_status: EmailStatus | None = None
    title: str | None = None
    linkedin_url: str | None = Field(
        None, description="A profile URL (linkedin.com/in/<name>); stored in canonical form."
    )
    social_handles: dict[str, str] | None = Field(None, examples=[{"bluesky": "jane.bsky.social"}])
    phone: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    address: str | None = None
    postal_code: str | None = None
    timezone: str | None = Field(None, description="IANA name, e.g. Europe/Paris.")
    source: str | None = None
    owner_id: RecordId | None = Field(None, description="A member of the workspace.")
    company_id: RecordId | None = None
    referred_by_id: RecordId | None = Field(None, description="The lead who referred this one.")
    do_not_contact: bool | None = None
    custom_fields: dict[str, Any] | None = Field(
        None, description="Values of the workspace's custom fields by key; null removes one."
    )
    slots: dict[str, str | None] | None = Field(
        None, description="Sequence variables: slot1 (subject), slot2 (intro), slot3 (PS)."
    )

    @field_validator("custom_fields")
    @classmethod
    def _scalar_values(cls, values: dict[str, Any] | None) -> dict[str, Any] | None:
        return scalar_custom_values(values)


class LeadIn(LeadFieldsIn):
    """A new lead: needs an email or a LinkedIn URL."""

    company_name: str | None = Field(
        None, description="Without company_id: the company is found by domain or name, or made."
    )
    company_website: str | None = None


class LeadPatch(LeadFieldsIn):
    """Only the fields sent change; send null to clear one."""


class LeadOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    email: str | None
    email_status: str
    title: str
    company: CompanyRef | None
    linkedin_url: str | None
    social_handles: dict[str, Any]
    phone: str
    city: str
    region: str
    country: str
    address: str
    postal_code: str
    timezone: str
    source: str
    owner: UserRef | None
    referred_by_id: RecordId | None
    do_not_contact: bool
    custom_fields: dict[str, Any]
    slots: dict[str, Any]
    tags: list[TagRef]
    list_ids: list[int]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_list_ids(obj: Any) -> list[int]:
        return sorted(lead_list.pk for lead_list in obj.lists.all())


class LeadPageOut(Schema):
    items: list[LeadOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; null on the last page."
    )


class LeadCountOut(Schema):
    count: int
    more: bool = Field(..., description="True when there are more than `count` (a capped count).")


LeadSort = Literal[
    "-created_at", "created_at", "-updated_at", "updated_at", "last_name", "-last_name"
]


class LeadFilterQuery(QuerySchema):
    q: str = Field("", max_length=200, description="Words found in name, email, company, title.")
    list_id: RecordId | None = None
    tag_id: RecordId | None = None
    owner_id: RecordId | None = None
    company_id: RecordId | None = None
    country: str = Field("", max_length=120)
    created_after: ApiDateTime | None = Field(None, description="Inclusive.")
    created_before: ApiDateTime | None = Field(None, description="Exclusive.")

    @field_validator("created_after", "created_before")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        # A date without a zone means the server's time zone, as in the web UI.
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value

    def to_filters(self) -> LeadFilters:
        return LeadFilters(
            q=self.q.strip(),
            list_id=self.list_id,
            tag_id=self.tag_id,
            owner_id=self.owner_id,
            company_id=self.company_id,
            country=self.country,
            created_after=self.created_after,
            created_before=self.created_before,
        )


class LeadPageQuery(LeadFilterQuery):
    sort: LeadSort = "-created_at"
    cursor: str | None = Field(None, max_length=500, description="`next_cursor` of the last page.")
    limit: int = Field(50, ge=1, description="At most API_PAGE_SIZE_MAX (200 by default).")

    @field_validator("limit")
    @classmethod
    def _within_max(cls, value: int) -> int:
        # Read at request time: the maximum is a setting an operator may change.
        if value > settings.API_PAGE_SIZE_MAX:
            raise ValueError(f"At most {settings.API_PAGE_SIZE_MAX} leads per page.")
        return value
