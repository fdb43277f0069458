"""API shapes of the outreach engine. Passwords go in, never out."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema

from crm.api.schemas.common import (
    ApiDate,
    InputSchema,
    RecordId,
    TimeOfDay,
    TimeOfDayOut,
    omittable,
)
from outreach.caps import local_day


class DomainIn(InputSchema):
    domain: str = Field(..., max_length=253)
    timezone: str = "UTC"
    added_on: ApiDate | None = Field(None, description="Warm-up start; today when omitted or null.")
    warmup_days: int = Field(14, ge=0, le=365)
    daily_cap: int = Field(30, ge=1, le=100_000)


class DomainOut(Schema):
    id: int
    domain: str
    timezone: str
    added_on: dt.date
    warmup_days: int
    warmup_days_left: int
    daily_cap: int
    state: str
    paused_reason: str

    @staticmethod
    def resolve_warmup_days_left(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.warmup_days_left(local_day(timezone.now(), obj.timezone))

    @staticmethod
    def resolve_state(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.state_on(local_day(timezone.now(), obj.timezone))


class PauseIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=500)


class MailboxSettings(InputSchema):
    """A field left out keeps its value (or takes the default on create); null is refused."""

    display_name: str = omittable(max_length=120)
    signature: str = omittable(max_length=5000)
    dkim_selector: str = omittable(
        max_length=63, description="DKIM selector it signs with; empty: discovered."
    )
    transport: str = omittable(pattern="^(smtp|capture)$")
    smtp_host: str = omittable(max_length=253)
    smtp_port: int = omittable(ge=1, le=65535)
    smtp_security: str = omittable(pattern="^(ssl|starttls|none)$")
    smtp_username: str = omittable(max_length=254)
    smtp_password: str = omittable(
        max_length=500, description="Write-only; empty keeps the stored one."
    )
    imap_host: str = omittable(max_length=253)
    imap_port: int = omittable(ge=1, le=65535)
    imap_security: str = omittable(pattern="^(ssl|starttls|none)$")
    imap_username: str = omittable(max_length=254)
    imap_password: str = omittable(
        max_length=500, description="Write-only; empty keeps the stored one."
    )
    daily_cap: int = omittable(ge=1, le=10_000)
    ramp_start: int = omittable(ge=1, le=10_000)
    ramp_step: int = omittable(ge=0, le=10_000)
    window_weekdays: list[Annotated[int, Field(ge=0, le=6)]] = omittable(
        min_length=1, max_length=7, description="Monday = 0 … Sunday = 6."
    )
    window_start: TimeOfDay = omittable(description="In the mailbox's time zone.")
    window_end: TimeOfDay = omittable(description="In the mailbox's time zone; after the start.")
    timezone: str = omittable(max_length=64, description="IANA name, e.g. Europe/Paris.")
    gap_min_seconds: int = omittable(ge=0, le=86_400)
    gap_max_seconds: int = omittable(ge=0, le=86_400)


class MailboxIn(MailboxSettings):
    domain_id: RecordId
    address: str = Field(..., max_length=254)


class MailboxOut(Schema):
    id: int
    domain_id: int
    address: str
    display_name: str
    signature: str
    dkim_selector: str
    transport: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_username: str
    has_smtp_password: bool
    imap_host: str
    imap_port: int
    imap_security: str
    imap_username: str
    has_imap_password: bool
    daily_cap: int
    ramp_start: int
    ramp_step: int
    ramp_starts_on: dt.date
    window_weekdays: list[int]
    window_start: TimeOfDayOut
    window_end: TimeOfDayOut
    timezone: str
    gap_min_seconds: int
    gap_max_seconds: int
    state: str
    paused_reason: str
    imap_synced_at: dt.datetime | None

    @staticmethod
    def resolve_has_smtp_password(obj) -> bool:  # type: ignore[no-untyped-def]
        return bool(obj.smtp_password)

    @staticmethod
    def resolve_has_imap_password(obj) -> bool:  # type: ignore[no-untyped-def]
        return bool(obj.imap_password)


class ConnectionOut(Schema):
    smtp_ok: bool
    smtp_message: str
    imap_ok: bool
    imap_message: str


class DkimDiscoveryOut(Schema):
    outcome: str = Field(
        ...,
        description="found, ambiguous, other_domain, unsigned, not_received, smtp_error or "
        "imap_error",
    )
    message: str
    domain: str = Field(..., description="The From domain a signature must align with.")
    selector: str = Field(..., description="The selector saved on the mailbox, if any.")
    selectors: list[str]
    signing_domain: str
    other_signers: list[str] = Field(..., description='Signatures not aligned: "d=… s=…".')
    stored: bool


class SequenceIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=120)
    mailbox_ids: list[RecordId] = Field(default_factory=list)
    stop_on_reply: bool = True
    stop_company_on_reply: bool = False
    use_lead_timezone: bool = False
    unsubscribe_line: bool = True


class VariantIn(InputSchema):
    label: str = Field(..., min_length=1, max_length=10)
    subject: str = Field("", max_length=500)
    body: str = Field("", max_length=50_000)
    body_html: str = Field("", max_length=100_000)


class StepIn(InputSchema):
    subject: str = Field("", max_length=500)
    body: str = Field("", max_length=50_000)
    body_html: str = Field("", max_length=100_000)
    delay_days: int = Field(0, ge=0, le=365)
    business_days: bool = False
    same_thread: bool = False


class VariantOut(Schema):
    id: int
    label: str
    subject: str
    body: str
    body_html: str


class StepOut(Schema):
    id: int
    position: int
    delay_days: int
    business_days: bool
    same_thread: bool
    variants: list[VariantOut]

    @staticmethod
    def resolve_variants(obj) -> list:  # type: ignore[no-untyped-def]
        return list(obj.variants.all())


class SequenceOut(Schema):
    id: int
    name: str
    status: str
    mailbox_ids: list[int]
    stop_on_reply: bool
    stop_company_on_reply: bool
    use_lead_timezone: bool
    unsubscribe_line: bool
    steps: list[StepOut]

    @staticmethod
    def resolve_mailbox_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [m.pk for m in obj.mailboxes.all()]

    @staticmethod
    def resolve_steps(obj) -> list:  # type: ignore[no-untyped-def]
        return list(obj.steps.prefetch_related("variants"))


class SkippedOut(Schema):
    lead_id: int
    reason: str


class EnrollmentOut(Schema):
    id: int
    lead_id: int
    mailbox_id: int
    status: str
    step: int = Field(..., description="Next step to send, from 1.")
    next_send_at: dt.datetime | None
    stop_reason: str
    slots: dict

    @staticmethod
    def resolve_step(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.step_position + 1


class PreviewOut(Schema):
    step: int
    variant: str
    subject: str
    body_text: str
    body_html: str
    mime: str


class SuppressionIn(InputSchema):
    value: str = Field(..., max_length=254, description="An email, or a domain for all of it.")
    reason: str = Field("manual", pattern="^(unsubscribed|hard_bounce|complaint|manual)$")
    note: str = Field("", max_length=500)


class SuppressionOut(Schema):
    id: int
    value: str
    reason: str
    note: str
    created_at: dt.datetime
