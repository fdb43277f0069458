from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.errors import Conflict, ValidationFailed
from crm.models import Workspace
from outreach.models import DomainState, SendingDomain

_DOMAIN_RE = re.compile(r"^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$")


def check_timezone(name: str, field: str = "timezone") -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.field(field, f"'{name}' is not a time zone.") from None
    return name


def sending_domain_create(
    *,
    workspace: Workspace,
    domain: str,
    timezone_name: str = "UTC",
    added_on: dt.date | None = None,
    warmup_days: int = 14,
    daily_cap: int = 30,
) -> SendingDomain:
    """Add a sending domain; its warm-up starts on ``added_on`` (today by default)."""
    name = domain.strip().lower().rstrip(".")
    if not _DOMAIN_RE.match(name):
        raise ValidationFailed.field("domain", f"'{domain}' is not a domain name.")
    if daily_cap < 1:
        raise ValidationFailed.field("daily_cap", "The daily cap must be at least 1.")
    check_timezone(timezone_name)
    try:
        with transaction.atomic():
            return SendingDomain.objects.create(
                workspace=workspace,
                domain=name,
                timezone=timezone_name,
                added_on=added_on or timezone.localdate(),
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
