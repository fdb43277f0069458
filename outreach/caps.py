"""Warm-up, ramp and daily caps. ``quota_reserve`` is the one place a cap is enforced."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F

from outreach.models import DailyQuota, Mailbox, QuotaScope, SendingDomain


def local_day(moment: dt.datetime, tz_name: str) -> dt.date:
    return moment.astimezone(ZoneInfo(tz_name)).date()


def mailbox_cap_on(mailbox: Mailbox, day: dt.date) -> int:
    """Sends allowed on ``day``: ramp day N allows start + step × (N − 1), never above the cap."""
    ramp_day = (day - mailbox.ramp_starts_on).days + 1
    if ramp_day < 1:
        return 0
    return min(mailbox.daily_cap, mailbox.ramp_start + mailbox.ramp_step * (ramp_day - 1))


def domain_cap_on(domain: SendingDomain, day: dt.date) -> int:
    """Zero while the domain warms up: its mailboxes send no sequence email before ``warm_on``."""
    return domain.daily_cap if day >= domain.warm_on else 0


def quota_used(scope: str, owner_id: int, day: dt.date) -> int:
    row = DailyQuota.objects.filter(scope=scope, owner_id=owner_id, day=day).first()
    return row.used if row else 0


def _take(scope: str, owner_id: int, day: dt.date, cap: int) -> bool:
    if cap <= 0:
        return False
    if _increment(scope, owner_id, day, cap):
        return True
    if DailyQuota.objects.filter(scope=scope, owner_id=owner_id, day=day).exists():
        return False  # today's row exists and is full
    try:
        with transaction.atomic():
            DailyQuota.objects.create(scope=scope, owner_id=owner_id, day=day)
    except IntegrityError:
        pass  # another worker created today's row first: fine, it exists
    return _increment(scope, owner_id, day, cap)


def _increment(scope: str, owner_id: int, day: dt.date, cap: int) -> bool:
    # UPDATE … SET used = used + 1 WHERE … AND used < cap: the row lock makes a concurrent
    # reservation wait and re-check, so the cap holds whatever the number of workers.
    changed = DailyQuota.objects.filter(
        scope=scope, owner_id=owner_id, day=day, used__lt=cap
    ).update(used=F("used") + 1)
    return changed == 1


def _give_back(scope: str, owner_id: int, day: dt.date) -> None:
    DailyQuota.objects.filter(scope=scope, owner_id=owner_id, day=day, used__gt=0).update(
        used=F("used") - 1
    )


def quota_reserve(
    *, mailbox: Mailbox, domain: SendingDomain, mailbox_day: dt.date, domain_day: dt.date
) -> str | None:
    """Reserve one send on both the mailbox's and the domain's day; None when reserved, else
    ``"mailbox"`` or ``"domain"``: the cap that is full. Both or neither are taken."""
    with transaction.atomic():
        if not _take(
            QuotaScope.MAILBOX, mailbox.pk, mailbox_day, mailbox_cap_on(mailbox, mailbox_day)
        ):
            return QuotaScope.MAILBOX
        if not _take(QuotaScope.DOMAIN, domain.pk, domain_day, domain_cap_on(domain, domain_day)):
            _give_back(QuotaScope.MAILBOX, mailbox.pk, mailbox_day)
            return QuotaScope.DOMAIN
    return None


def quota_release(
    *, mailbox_id: int, domain_id: int, mailbox_day: dt.date, domain_day: dt.date
) -> None:
    """Give back a reservation whose message never reached SMTP (cancelled)."""
    _give_back(QuotaScope.MAILBOX, mailbox_id, mailbox_day)
    _give_back(QuotaScope.DOMAIN, domain_id, domain_day)
