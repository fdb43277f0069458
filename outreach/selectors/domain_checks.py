"""Reads of the deliverability checks: history, one check, the policy, the domains' health."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crm.models import Workspace
from outreach.models import (
    CheckStatus,
    DeliverabilityPolicy,
    DomainCheck,
    DomainCheckState,
    InboundKind,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    SendingDomain,
)


def deliverability_policy_get(*, workspace: Workspace) -> DeliverabilityPolicy:
    """The workspace's policy; the defaults (unsaved) until someone changes it."""
    policy = DeliverabilityPolicy.objects.filter(workspace=workspace).first()
    return policy or DeliverabilityPolicy(workspace=workspace)


def domain_checks_of(*, domain: SendingDomain) -> QuerySet[DomainCheck]:
    """The domain's check history, newest first."""
    return DomainCheck.objects.filter(domain=domain, workspace_id=domain.workspace_id).order_by(
        "-checked_at", "-id"
    )


def domain_check_get(*, workspace: Workspace, domain_id: int, check_id: int) -> DomainCheck:
    return get_object_or_404(
        DomainCheck.objects.select_related("domain"),
        workspace=workspace,
        domain_id=domain_id,
        pk=check_id,
    )


def domains_with_health(*, workspace: Workspace) -> QuerySet[SendingDomain]:
    """The workspace's domains with their latest check joined (``domain.check_state``)."""
    return (
        SendingDomain.objects.filter(workspace=workspace)
        .select_related("check_state__last_check")
        .order_by("domain")
    )


def last_check_of(domain: SendingDomain) -> DomainCheck | None:
    try:
        state: DomainCheckState = domain.check_state  # type: ignore[attr-defined]
    except DomainCheckState.DoesNotExist:
        return None
    return state.last_check


def domain_ids_to_check() -> list[int]:
    """Every sending domain of every workspace (the daily run; scheduler only)."""
    return list(SendingDomain.objects.order_by("pk").values_list("pk", flat=True))


def domain_ids_to_retry() -> list[int]:
    """Domains whose latest check could not finish (DNS failed): checked again sooner."""
    return list(
        DomainCheckState.objects.filter(last_check__status=CheckStatus.COULD_NOT_CHECK)
        .order_by("domain_id")
        .values_list("domain_id", flat=True)
    )


def domain_bounce_rate_7d(*, domain: SendingDomain, now: dt.datetime | None = None) -> float:
    """Hard bounces over messages sent in the last 7 days, across the domain's mailboxes."""
    since = (now or timezone.now()) - dt.timedelta(days=7)
    sent = OutboundMessage.objects.filter(
        mailbox__domain=domain, status=MessageStatus.SENT, sent_at__gte=since
    ).count()
    bounced = InboundMessage.objects.filter(
        mailbox__domain=domain, kind=InboundKind.HARD_BOUNCE, received_at__gte=since
    ).count()
    return bounced / sent if sent else 0.0


SEVERITY_ORDER = ("error", "warning", "info")


def findings_by_severity(check: DomainCheck) -> list[tuple[str, list[dict]]]:
    """The check's findings grouped error → warning → info, "could not check" first of all."""
    groups: dict[str, list[dict]] = {severity: [] for severity in SEVERITY_ORDER}
    for finding in check.findings:
        groups.setdefault(finding.get("severity", "info"), []).append(finding)
    for findings in groups.values():
        findings.sort(key=lambda f: not f.get("retryable"))
    return [(severity, groups[severity]) for severity in SEVERITY_ORDER if groups[severity]]
