"""Results per sequence, step and variant; today's use of each mailbox and domain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Mod, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crm.models import Workspace
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
    """One A/B variant of one step. Leads are counted once however many mails they sent back."""

    step: int
    variant: str
    enrolled: int  # enrollments the even split gives this variant
    sent: int
    replied: int
    positive: int
    bounced: int
    unsubscribed: int

    @property
    def reply_rate(self) -> float:
        return self.replied / self.sent if self.sent else 0.0

    @property
    def positive_rate(self) -> float:
        return self.positive / self.sent if self.sent else 0.0

    @property
    def bounce_rate(self) -> float:
        return self.bounced / self.sent if self.sent else 0.0

    @property
    def unsubscribe_rate(self) -> float:
        return self.unsubscribed / self.sent if self.sent else 0.0


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _variant_split(sequence: Sequence) -> dict[tuple[int, str], int]:
    """How many enrollments each variant gets: ``variant_for`` picks by ``id % variant count``."""
    split: dict[tuple[int, str], int] = {}
    by_count: dict[int, dict[int, int]] = {}
    steps = list(sequence.steps.prefetch_related("variants"))
    for step in steps:
        labels = [v.label for v in step.variants.all()]
        n = len(labels)
        if n and n not in by_count:
            rows = (
                sequence.enrollments.annotate(turn=Mod("id", n))
                .values("turn")
                .annotate(c=Count("id"))
                .order_by()
            )
            by_count[n] = {int(r["turn"]): r["c"] for r in rows}
        for index, label in enumerate(labels):
            split[(step.position, label)] = by_count.get(n, {}).get(index, 0)
    return split


def sequence_results(*, sequence: Sequence) -> dict:
    """Enrolled, sent, replied, positive, bounced and unsubscribed, for the sequence and per
    step and variant, with rates over the leads actually emailed."""
    statuses = dict(sequence.enrollments.values_list("status").annotate(n=Count("id")).order_by())
    sent = OutboundMessage.objects.filter(enrollment__sequence=sequence, status=MessageStatus.SENT)
    inbound = InboundMessage.objects.filter(outbound__enrollment__sequence=sequence)
    reply = Q(kind=InboundKind.REPLY)
    rows = (
        sent.values("step_position", "variant__label")
        .annotate(
            n=Count("id"),
            # The last step a lead got before unsubscribing is the one that made them leave.
            unsubscribed=Count(
                "id",
                filter=Q(
                    enrollment__status=EnrollmentStatus.UNSUBSCRIBED,
                    enrollment__step_position=F("step_position") + 1,
                ),
            ),
        )
        .order_by("step_position", "variant__label")
    )
    answers = (
        inbound.values("outbound__step_position", "outbound__variant__label")
        .annotate(
            replied=Count("outbound__enrollment", filter=reply, distinct=True),
            positive=Count("outbound__enrollment", filter=reply & Q(positive=True), distinct=True),
            bounced=Count(
                "outbound__enrollment", filter=Q(kind=InboundKind.HARD_BOUNCE), distinct=True
            ),
        )
        .order_by()
    )
    by_key = {(a["outbound__step_position"], a["outbound__variant__label"]): a for a in answers}
    split = _variant_split(sequence)
    per_variant = []
    for row in rows:
        key = (row["step_position"], row["variant__label"])
        a: Any = by_key.get(key, {})
        per_variant.append(
            VariantResult(
                step=key[0] + 1,
                variant=key[1],
                enrolled=split.get(key, 0),
                sent=row["n"],
                replied=a.get("replied", 0),
                positive=a.get("positive", 0),
                bounced=a.get("bounced", 0),
                unsubscribed=row["unsubscribed"],
            )
        )
    for (position, label), enrolled in split.items():  # variants nothing was sent with yet
        if not any(r.step == position + 1 and r.variant == label for r in per_variant):
            per_variant.append(VariantResult(position + 1, label, enrolled, 0, 0, 0, 0, 0))
    per_variant.sort(key=lambda r: (r.step, r.variant))
    replied_ids = set(
        inbound.filter(reply).values_list("outbound__enrollment_id", flat=True).distinct()
    ) | set(
        sequence.enrollments.filter(status=EnrollmentStatus.REPLIED).values_list("id", flat=True)
    )
    positive = (
        inbound.filter(reply, positive=True).values("outbound__enrollment_id").distinct().count()
    )
    contacted = sent.values("enrollment_id").distinct().count()
    bounced = statuses.get(EnrollmentStatus.BOUNCED, 0)
    unsubscribed = statuses.get(EnrollmentStatus.UNSUBSCRIBED, 0)
    return {
        "enrolled": sum(statuses.values()),
        "contacted": contacted,
        "sent": sent.count(),
        "replied": len(replied_ids),
        "positive": positive,
        "bounced": bounced,
        "unsubscribed": unsubscribed,
        "reply_rate": _rate(len(replied_ids), contacted),
        "positive_rate": _rate(positive, contacted),
        "bounce_rate": _rate(bounced, contacted),
        "unsubscribe_rate": _rate(unsubscribed, contacted),
        "by_status": statuses,
        "variants": per_variant,
    }


def sequence_daily(*, sequence: Sequence, days: int = 30, now: dt.datetime | None = None) -> dict:
    """Emails sent and replies received per day over the last ``days`` days (for the chart)."""
    now = now or timezone.now()
    first = timezone.localdate(now) - dt.timedelta(days=days - 1)
    since = now - dt.timedelta(days=days)
    sent = dict(
        OutboundMessage.objects.filter(
            enrollment__sequence=sequence, status=MessageStatus.SENT, sent_at__gte=since
        )
        .annotate(day=TruncDate("sent_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    replies = dict(
        sequence_replies(sequence=sequence)
        .filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = [first + dt.timedelta(days=i) for i in range(days)]
    return {
        "days": [d.isoformat() for d in labels],
        "sent": [sent.get(d, 0) for d in labels],
        "replied": [replies.get(d, 0) for d in labels],
    }


def sequence_replies(*, sequence: Sequence) -> QuerySet[InboundMessage]:
    """Replies to this sequence's emails, newest first (matched by thread, else by sender)."""
    matched = Q(outbound__enrollment__sequence=sequence) | Q(
        outbound__isnull=True, lead__enrollments__sequence=sequence
    )
    return (
        InboundMessage.objects.filter(matched, workspace_id=sequence.workspace_id)
        .filter(kind=InboundKind.REPLY)
        .select_related("lead", "outbound__variant")
        .distinct()
        .order_by("-received_at", "-id")
    )


def reply_get(*, workspace: Workspace, inbound_id: int) -> InboundMessage:
    return get_object_or_404(
        InboundMessage, workspace=workspace, pk=inbound_id, kind=InboundKind.REPLY
    )


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
