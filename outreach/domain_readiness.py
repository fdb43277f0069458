"""What a sending domain's badge says: paused, warming up, ready — or capture-only with failing
checks, which sends nothing and must not look "Ready"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from outreach.models import CheckStatus, DomainCheck, DomainState, Mailbox, SendingDomain, Transport


@dataclass(frozen=True)
class Readiness:
    key: str  # paused | warming | capture_failing | failing | ready
    label: str
    tone: str  # the badge's colour: red, amber, green
    hint: str


def domain_readiness(
    *,
    domain: SendingDomain,
    day: dt.date,
    check: DomainCheck | None,
    mailboxes: Iterable[Mailbox],
) -> Readiness:
    """The one reading of a domain's state shared by the domains list and the domain page."""
    if domain.state == DomainState.PAUSED:
        return Readiness("paused", "Paused", "red", domain.paused_reason)
    left = domain.warmup_days_left(day)
    if left:
        plural = "s" if left != 1 else ""
        return Readiness(
            "warming",
            f"Warming up: {left} day{plural} left",
            "amber",
            f"Sends from {domain.warm_on}",
        )
    if check is not None and check.status == CheckStatus.FAILING:
        reason = check.failing_reason or "A required deliverability check fails."
        if all(m.transport == Transport.CAPTURE for m in mailboxes):
            return Readiness(
                "capture_failing",
                "Capture only: checks failing",
                "amber",
                f"{reason} Its mailboxes keep mail here and send nothing; fix the DNS before "
                "switching one to SMTP.",
            )
        return Readiness("failing", "Sending with failing checks", "red", reason)
    return Readiness("ready", "Ready", "green", f"Warmed up since {domain.warm_on}")
