"""Deliverability check history of a sending domain, and each workspace's check policy."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from crm.models import Workspace
from outreach.models.domains import SendingDomain


class CheckStatus(models.TextChoices):
    OK = "ok", "OK"
    WARNINGS = "warnings", "Warnings"
    FAILING = "failing", "Failing"
    # DNS timed out or failed somewhere: neither a pass nor a failure; the next run retries.
    COULD_NOT_CHECK = "could_not_check", "Could not check — will retry"


class CheckTrigger(models.TextChoices):
    ADDED = "added", "Domain added"
    MANUAL = "manual", "Check now"
    DAILY = "daily", "Daily check"
    RETRY = "retry", "Retry (DNS failed)"


class CheckAction(models.TextChoices):
    NONE = "", "No change"
    PAUSED = "paused", "Paused the domain"
    RESUMED = "resumed", "Resumed the domain"


class DomainCheck(models.Model):
    """One run of the deliverability checks on a sending domain, kept as history."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(SendingDomain, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(
        max_length=10, choices=CheckTrigger.choices, default=CheckTrigger.MANUAL
    )
    status = models.CharField(max_length=16, choices=CheckStatus.choices)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    infos = models.PositiveIntegerField(default=0)
    # [{"code", "severity", "message", "fix": {"name", "type", "value"} | None, "retryable"}]
    findings = models.JSONField(default=list)
    # {"checks": {"spf": bool, …}, "providers": [{"name", "ready", "items": [...]}], "ready"}
    readiness = models.JSONField(default=dict)
    duration_ms = models.PositiveIntegerField(default=0)
    # What the workspace's policy did to the domain after this check, and why.
    action = models.CharField(max_length=10, choices=CheckAction.choices, blank=True, default="")
    failing_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["domain", "-checked_at"], name="domaincheck_history")]

    def __str__(self) -> str:
        return f"{self.domain_id} {self.checked_at:%Y-%m-%d %H:%M} {self.status}"


class DomainCheckState(models.Model):
    """Per domain: the latest check, and the pause the checker itself set.

    The checker lifts only its own pause: ``checker_paused_reason`` is the reason it wrote, and a
    domain whose reason differs (paused by hand, or re-paused by hand) is left alone.
    """

    domain = models.OneToOneField(
        SendingDomain, on_delete=models.CASCADE, related_name="check_state"
    )
    last_check = models.ForeignKey(
        DomainCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checker_paused_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"check state of domain {self.domain_id}"


class DeliverabilityPolicy(models.Model):
    """How a workspace's domains are checked and what a failing check does."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="deliverability_policy"
    )
    pause_on_failure = models.BooleanField(default=True)
    # DNSBL zones (RFC 5782); off by default: the big lists refuse public resolvers.
    ip_blocklists = models.JSONField(default=list, blank=True)
    domain_blocklists = models.JSONField(default=list, blank=True)
    # Empty: the system's resolver.
    dns_nameserver = models.GenericIPAddressField(null=True, blank=True)
    dns_port = models.PositiveIntegerField(default=53)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliverability policies"

    def __str__(self) -> str:
        return f"deliverability policy of workspace {self.workspace_id}"
