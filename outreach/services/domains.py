from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.errors import Conflict, ValidationFailed
from crm.models import Workspace
from crm.timebounds import date_problem
from outreach.models import DomainState, SendingDomain

_DOMAIN_RE = re.compile(r"^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$")
# Names that never reach the public internet (RFC 6761, 6762, 7686, 8375, 9476, ICANN's
# .internal) and the pseudo-TLDs private networks use: mail "from" them cannot be delivered or
# checked, and checking them would query internal resolvers. .test and .example (RFC 6761)
# stay allowed: documentation, demos and the test suite use them on purpose.
INTERNAL_SUFFIXES = (
    "localhost", "local", "internal", "invalid", "onion", "alt", "arpa",
    "localdomain", "lan", "home", "corp", "intranet", "private",
)  # fmt: skip
MAX_WARMUP_DAYS = 365


def check_timezone(name: str, field: str = "timezone") -> str:
    try:
        if not isinstance(name, str):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.field(field, f"'{name}' is not a time zone.") from None
    return name


def _check_name(domain: str) -> str:
    name = domain.strip().lower().rstrip(".")
    if not _DOMAIN_RE.match(name):
        raise ValidationFailed.field("domain", f"'{domain}' is not a domain name.")
    if name.rsplit(".", 1)[1] in INTERNAL_SUFFIXES:
        raise ValidationFailed.field(
            "domain", f"'{name}' is an internal name; a sending domain is a public one."
        )
    return name


def _check_warmup(added_on: dt.date, warmup_days: int) -> None:
    # Reads add the warm-up to the start date: both must stay within what a date can hold.
    problem = date_problem(added_on)
    if problem:
        raise ValidationFailed.field("added_on", problem)
    if not 0 <= warmup_days <= MAX_WARMUP_DAYS:
        raise ValidationFailed.field("warmup_days", f"A warm-up lasts 0 to {MAX_WARMUP_DAYS} days.")


def sending_domain_create(
    *,
    workspace: Workspace,
    domain: str,
    timezone_name: str = "UTC",
    added_on: dt.date | None = None,
    warmup_days: int = 14,
    daily_cap: int = 30,
) -> SendingDomain:
    """Add a sending domain; its warm-up starts on ``added_on`` (today by default).

    Internal names (``x.localhost``, ``metadata.google.internal``) are refused.
    """
    name = _check_name(domain)
    if daily_cap < 1:
        raise ValidationFailed.field("daily_cap", "The daily cap must be at least 1.")
    check_timezone(timezone_name)
    added_on = added_on or timezone.localdate()
    _check_warmup(added_on, warmup_days)
    try:
        with transaction.atomic():
            return SendingDomain.objects.create(
                workspace=workspace,
                domain=name,
                timezone=timezone_name,
                added_on=added_on,
                warmup_days=warmup_days,
                daily_cap=daily_cap,
            )
    except IntegrityError:
        raise Conflict(f"{name} is already a sending domain of this workspace.") from None


@transaction.atomic
def sending_domain_pause(*, domain: SendingDomain, reason: str) -> SendingDomain:
    """Stop every mailbox of the domain from sending, with a reason the user sees."""
    domain.state = DomainState.PAUSED
    domain.paused_reason = reason[:500]
    domain.save(update_fields=["state", "paused_reason"])
    return domain


@transaction.atomic
def sending_domain_resume(*, domain: SendingDomain) -> SendingDomain:
    """Lift a pause; the state follows the warm-up dates again."""
    domain.state = (
        DomainState.READY if timezone.localdate() >= domain.warm_on else DomainState.WARMING
    )
    domain.paused_reason = ""
    domain.save(update_fields=["state", "paused_reason"])
    return domain
