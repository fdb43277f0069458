"""API shapes of outbound webhooks: endpoints, deliveries with their attempts, REST hooks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from crm.api.schemas.common import ApiDateTime, InputSchema, omittable


class EndpointIn(InputSchema):
    url: str = Field(..., max_length=500, description="https://, or a host the admin allowed.")
    description: str = Field("", max_length=200)
    event_types: list[str] = Field(
        default_factory=list, description="Types to send (GET /events/types); empty = all."
    )
    include_imported: bool = Field(True, description="Also send leads created by imports.")


class EndpointPatch(InputSchema):
    url: str = omittable(max_length=500)
    description: str = omittable(max_length=200)
    event_types: list[str] = omittable()
    include_imported: bool = omittable()
    enabled: bool = omittable(description="Enabling again clears the disabled reason.")


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[str]
    include_imported: bool
    enabled: bool
    disabled_reason: str
    disabled_at: dt.datetime | None
    failing_since: dt.datetime | None
    rotating_until: dt.datetime | None = Field(
        None, description="While set, deliveries carry the previous secret's signature too."
    )
    source: str
    created_at: dt.datetime

    @staticmethod
    def resolve_rotating_until(obj: Any) -> dt.datetime | None:
        return obj.previous_secret_expires_at if obj.previous_secret else None


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(..., description="`whsec_…`: shown this once, never returned again.")


class SecretOut(Schema):
    secret: str = Field(..., description="The new secret, shown this once.")
    previous_valid_until: dt.datetime | None


class AttemptOut(Schema):
    started_at: dt.datetime
    duration_ms: int
    status_code: int | None
    response_excerpt: str
    error: str


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    event_id: int | None
    event_type: str
    msg_id: str = Field(..., description="The `webhook-id` header, the same on every attempt.")
    status: str = Field(..., description="pending, delivered or failed.")
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_next_attempt_at(obj: Any) -> dt.datetime | None:
        return obj.next_attempt_at if obj.status == "pending" else None


class DeliveryDetailOut(DeliveryOut):
    body: str = Field(..., description="The exact JSON sent.")
    log: list[AttemptOut] = Field(..., description="Every attempt, oldest first.")

    @staticmethod
    def resolve_log(obj: Any) -> list[Any]:
        return sorted(obj.log.all(), key=lambda a: a.started_at)


class DeliveryPageOut(Schema):
    items: list[DeliveryOut]
    next_before: int | None = Field(None, description="Pass as `before` for the next page.")


class ReplayIn(InputSchema):
    since: ApiDateTime = Field(..., description="Failed deliveries created from then…")
    until: ApiDateTime | None = Field(None, description="…until then (exclusive); now if left out.")


class ReplayOut(Schema):
    queued: int


class HookIn(InputSchema):
    """A REST hook subscription as Zapier and Make send it."""

    target_url: str = Field(..., max_length=500)
    event: str = Field(..., description="One event type, e.g. lead.created.")


class HookOut(Schema):
    id: int
    secret: str = Field(..., description="`whsec_…` to verify the signatures; shown once.")


class EventTypeOut(Schema):
    name: str
    description: str
    subject: str
    example: dict[str, Any] = Field(
        ..., description="A delivery's body for this type: `{type, timestamp, data}`."
    )
