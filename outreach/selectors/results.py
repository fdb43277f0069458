"""Results per sequence, step and variant; today's use of each mailbox and domain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from outreach.caps import domain_cap_on, local_day, mailbox_cap_on, quota_used
from outreach.models import (
    EnrollmentStatus,
    InboundKind,
    InboundMessage,
    Mailbox,
    MessageStatus,
    OutboundMessage,
    Sequence,
)


@dataclass
class VariantResult:
    step: int
    variant: str
    sent: int
    replied: int
    bounced: int

    @property
    def reply_rate(self) -> float:
        return self.replied / self.sent if self.sent else 0.0

    @property
    def bounce_rate(self) -> float:
        return self.bounced / self.sent if self.sent else 0.0


def sequence_results(*, sequence: Sequence) -> dict:
    """Enrolled, sent, replied, bounced and unsubscribed, overall and per step and variant."""
    statuses = dict(sequence.enrollments.values_list("status").annotate(n=Count("id")).order_by())
    sent = OutboundMessage.objects.filter(enrollment__sequence=sequence, status=MessageStatus.SENT)
    inbound = InboundMessage.objects.filter(outbound__enrollment__sequence=sequence)
    per_variant = []
    rows = (
        sent.values("step_position", "variant__label")
        .annotate(n=Count("id"))
        .order_by("step_position", "variant__label")
    )
    answers = (
        inbound.values("outbound__step_position", "outbound__variant__label")
        .annotate(
            replied=Count("id", filter=Q(kind=InboundKind.REPLY)),
            bounced=Count("id", filter=Q(kind=InboundKind.HARD_BOUNCE)),
        )
        .order_by()
    )
    by_key = {(a["outbound__step_position"], a["outbound__variant__label"]): a for a in answers}
    for row in rows:
        key = (row["step_position"], row["variant__label"])
        a: Any = by_key.get(key, {})
        per_variant.append(
            VariantResult(key[0] + 1, key[1], row["n"], a.get("replied", 0), a.get("bounced", 0))
        )
    return {
        "enrolled": sum(statuses.values()),
        "sent": sent.count(),
        "replied": statuses.get(EnrollmentStatus.REPLIED, 0),
        "bounced": statuses.get(EnrollmentStatus.BOUNCED, 0),
        "unsubscribed": statuses.get(EnrollmentStatus.UNSUBSCRIBED, 0),
        "by_status": statuses,
        "variants": per_variant,
    }


def mailbox_today(*, mailbox: Mailbox, now: dt.datetime | None = None) -> dict:
    """Sent today against today's cap, for the mailbox and its domain, and the 7-day bounce rate."""
    now = now or timezone.now()
    domain = mailbox.domain
    day, domain_day = local_day(now, mailbox.timezone), local_day(now, domain.timezone)
    week = now - dt.timedelta(days=7)
    sent_week = OutboundMessage.objects.filter(
        mailbox=mailbox, status=MessageStatus.SENT, sent_at__gte=week
    ).count()
    bounced_week = InboundMessage.objects.filter(
        mailbox=mailbox, kind=InboundKind.HARD_BOUNCE, received_at__gte=week
    ).count()
    return {
        "used": quota_used("mailbox", mailbox.pk, day),
        "cap": mailbox_cap_on(mailbox, day),
        "domain_used": quota_used("domain", domain.pk, domain_day),
        "domain_cap": domain_cap_on(domain, domain_day),
        "warmup_days_left": domain.warmup_days_left(domain_day),
        "bounce_rate_7d": bounced_week / sent_week if sent_week else 0.0,
    }
