"""API shapes of sources (social identities) and posts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator, model_validator

from crm.api.schemas.common import ApiDateTime, InputSchema, QuerySchema, RecordId
from integrations.feed.models import Network


class SourceIn(InputSchema):
    network: Network = Field(..., description="Where the posts come from.")
    value: str = Field(
        ...,
        min_length=1,
        max_length=1000,
        description="A handle (@name@host, name.bsky.social, @name) or a URL (feed, site, "
        "channel, profile).",
        examples=["jane.bsky.social"],
    )


class SourcePatch(InputSchema):
    enabled: bool | None = None
    value: str | None = Field(None, min_length=1, max_length=1000)


class SourceOut(Schema):
    id: int
    lead_id: int | None
    company_id: int | None
    network: str
    value: str
    from_profile: bool = Field(
        ..., description="Mirrors the lead's social_handles or LinkedIn URL."
    )
    resolved_id: str = Field(..., description="Bluesky DID, Mastodon or X account id.")
    feed_url: str = Field(..., alias="resolved_url")
    enabled: bool
    fetched: bool = Field(..., description="False for push-only networks (LinkedIn).")
    next_check_at: dt.datetime | None
    last_checked_at: dt.datetime | None
    last_posted_at: dt.datetime | None
    consecutive_failures: int
    last_error: str
    needs_attention: str = Field(..., description="Why this source stopped; empty when fine.")
    created_at: dt.datetime

    @staticmethod
    def resolve_fetched(obj: Any) -> bool:
        return obj.network != Network.LINKEDIN


class PostOut(Schema):
    id: int
    lead_id: int | None
    company_id: int | None
    network: str
    url: str
    title: str
    text: str = Field(..., description="Plain text; HTML from the source was sanitized (nh3).")
    posted_at: dt.datetime
    fetched_at: dt.datetime
    pushed: bool
    source_id: int | None = Field(None, alias="identity_id")


class PostPageOut(Schema):
    items: list[PostOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; null on the last page."
    )


class PostFilterQuery(QuerySchema):
    lead_id: RecordId | None = None
    company_id: RecordId | None = None
    list_id: RecordId | None = Field(None, description="Posts of the leads on this list.")
    network: Network | None = None
    since: ApiDateTime | None = Field(None, description="Posted at or after (inclusive).")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)

    @field_validator("since")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value


class PostIn(InputSchema):
    """A post pushed from elsewhere (LinkedIn, X without a key): name its lead one way."""

    lead_id: RecordId | None = None
    lead_email: str | None = Field(None, max_length=254)
    lead_linkedin_url: str | None = Field(None, max_length=300)
    network: Network = Field(Network.LINKEDIN)
    url: str = Field(..., min_length=1, max_length=1000)
    text: str = Field("", max_length=100_000)
    posted_at: ApiDateTime | None = Field(None, description="Defaults to now.")

    @model_validator(mode="after")
    def _one_lead(self) -> PostIn:
        given = [v for v in (self.lead_id, self.lead_email, self.lead_linkedin_url) if v]
        if len(given) != 1:
            raise ValueError("Give exactly one of lead_id, lead_email, lead_linkedin_url.")
        return self
