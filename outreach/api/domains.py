"""Deliverability of the sending domains: check history, findings, "check now", the policy.

``POST /sending-domains/{id}/checks`` runs the check synchronously (bounded by the service's
20-second deadline; typically well under a second) and answers with the stored check, so a
script sees the result and the domain's new state at once. The daily run and the check after
a domain is added run on the "dns" Celery queue.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import InputSchema, errors
from outreach.schemas import DomainOut
from outreach.selectors import domain_get
from outreach.selectors.domain_checks import (
    deliverability_policy_get,
    domain_check_get,
    domain_checks_of,
    domains_with_health,
    last_check_of,
)
from outreach.services.domain_checks import deliverability_policy_update, domain_check_run

router = Router(tags=["deliverability"])


class FixOut(Schema):
    name: str = Field(..., description="Where to publish, e.g. _dmarc.example.com")
    type: str = Field(..., description="Record type, e.g. TXT")
    value: str = Field(..., description="The exact record value to publish")


class FindingOut(Schema):
    code: str = Field(..., description="Stable code, e.g. dmarc.missing")
    severity: str = Field(..., description="error, warning or info")
    message: str
    fix: FixOut | None = None
    retryable: bool = Field(False, description="DNS could not answer: not a fact about DNS")


class CheckSummaryOut(Schema):
    id: int
    domain_id: int
    checked_at: dt.datetime
    trigger: str
    status: str = Field(..., description="ok, warnings, failing or could_not_check")
    errors: int
    warnings: int
    infos: int
    duration_ms: int
    action: str = Field(..., description='"paused", "resumed" or "" (what the policy did)')
    failing_reason: str
    bulk_sender_ready: bool

    @staticmethod
    def resolve_bulk_sender_ready(obj) -> bool:  # type: ignore[no-untyped-def]
        return bool(obj.readiness.get("ready"))


class CheckOut(CheckSummaryOut):
    findings: list[FindingOut]
    readiness: dict


class DomainHealthOut(DomainOut):
    last_check: CheckSummaryOut | None

    @staticmethod
    def resolve_last_check(obj):  # type: ignore[no-untyped-def]
        return last_check_of(obj)


class PolicyOut(Schema):
    pause_on_failure: bool
    ip_blocklists: list[str]
    domain_blocklists: list[str]
    dns_nameserver: str | None
    dns_port: int


class PolicyIn(InputSchema):
    pause_on_failure: bool = Field(
        True, description="Pause a domain failing a required check; resume it when it passes."
    )
    ip_blocklists: list[str] = Field(
        default_factory=list, description="DNSBL zones queried with the SMTP hosts' IPs."
    )
    domain_blocklists: list[str] = Field(
        default_factory=list, description="Domain blocklist zones queried with the domain."
    )
    dns_nameserver: str | None = Field(
        None,
        description="Resolver IP, one the admin allows in DNS_RESOLVERS_ALLOWED (with dns_port); "
        "empty: the system's.",
    )
    dns_port: int = Field(53, ge=1, le=65535)


class CheckPage(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/deliverability/domains", response={200: list[DomainHealthOut], **errors()})
def domains_health_view(request: ApiRequest):
    return list(domains_with_health(workspace=request.workspace))


@router.get(
    "/sending-domains/{domain_id}/checks",
    response={200: list[CheckSummaryOut], **errors(404, 422)},
    description="The domain's check history, newest first.",
)
def domain_checks_view(request: ApiRequest, domain_id: int, query: Query[CheckPage]):
    domain = domain_get(workspace=request.workspace, domain_id=domain_id)
    return domain_checks_of(domain=domain)[query.offset : query.offset + query.limit]


@router.post(
    "/sending-domains/{domain_id}/checks",
    response={201: CheckOut, **errors(404)},
    description="Check the domain now (synchronously, at most 20 s) and apply the policy.",
)
def domain_check_now_view(request: ApiRequest, domain_id: int):
    domain = domain_get(workspace=request.workspace, domain_id=domain_id)
    return Status(201, domain_check_run(domain=domain))


@router.get(
    "/sending-domains/{domain_id}/checks/{check_id}",
    response={200: CheckOut, **errors(404)},
    description="One check with its findings, each with the DNS record that fixes it.",
)
def domain_check_view(request: ApiRequest, domain_id: int, check_id: int):
    return domain_check_get(workspace=request.workspace, domain_id=domain_id, check_id=check_id)


@router.get("/deliverability/policy", response={200: PolicyOut, **errors()})
def policy_view(request: ApiRequest):
    return deliverability_policy_get(workspace=request.workspace)


@router.put("/deliverability/policy", response={200: PolicyOut, **errors(422)})
def policy_update_view(request: ApiRequest, payload: PolicyIn):
    return deliverability_policy_update(workspace=request.workspace, **payload.dict())
