"""Warm-up, ramp and daily caps. ``quota_reserve_many`` is the one place a cap is enforced."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

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


def _take(scope: str, owner_id: int, day: dt.date, cap: int, units: int) -> int:
    """Reserve up to ``units`` on one day; returns how many were reserved (0 when full).

    Each attempt is one conditional UPDATE that takes all it asks for or nothing. When it takes
    nothing, one read sizes the next attempt to what is left; every failed attempt means the
    row holds more than before, so the loop ends quickly even among concurrent planners.
    """
    want = min(units, cap)
    for _ in range(8):
        if want <= 0:
            return 0
        if _increment(scope, owner_id, day, want, cap):
            return want
        used = (
            DailyQuota.objects.filter(scope=scope, owner_id=owner_id, day=day)
            .values_list("used", flat=True)
            .first()
        )
        if used is None:
            # INSERT … ON CONFLICT DO NOTHING: another worker may create today's row first.
            DailyQuota.objects.bulk_create(
                [DailyQuota(scope=scope, owner_id=owner_id, day=day)], ignore_conflicts=True
            )
            continue
        want = min(want, cap - used)
    return 0  # still racing after several rounds: reserving nothing is always safe


def _increment(scope: str, owner_id: int, day: dt.date, units: int, cap: int) -> bool:
    # UPDATE … SET used = used + units WHERE … AND used <= cap - units: the row lock makes a
    # concurrent reservation wait and re-check, so the cap holds whatever the number of workers.
    changed = DailyQuota.objects.filter(
        scope=scope, owner_id=owner_id, day=day, used__lte=cap - units
    ).update(used=F("used") + units)
    return changed == 1


def _give_back(scope: str, owner_id: int, day: dt.date, units: int = 1) -> None:
    DailyQuota.objects.filter(scope=scope, owner_id=owner_id, day=day, used__gt=0).update(
        used=Greatest(F("used") - units, Value(0))
    )


def quota_reserve_many(
    *,
    mailbox: Mailbox,
    domain: SendingDomain,
    mailbox_day: dt.date,
    domain_day: dt.date,
    units: int,
) -> tuple[int, str | None]:
    """Reserve up to ``units`` sends on both the mailbox's and the domain's day.

    Returns how many were reserved on both, and the cap that stopped it short (``"mailbox"`` or
    ``"domain"``) or None when all were reserved. Units the domain refuses are given back to
    the mailbox in the same transaction.
    """
    # No savepoint inside the planner's transaction: an error there rolls all of it back anyway.
    with transaction.atomic(savepoint=False):
        cap = mailbox_cap_on(mailbox, mailbox_day)
        got = _take(QuotaScope.MAILBOX, mailbox.pk, mailbox_day, cap, units)
        if got == 0:
            return 0, QuotaScope.MAILBOX
        cap = domain_cap_on(domain, domain_day)
        both = _take(QuotaScope.DOMAIN, domain.pk, domain_day, cap, got)
        if both < got:
            _give_back(QuotaScope.MAILBOX, mailbox.pk, mailbox_day, got - both)
            return both, QuotaScope.DOMAIN
    return got, (QuotaScope.MAILBOX if got < units else None)


def quota_reserve(
    *, mailbox: Mailbox, domain: SendingDomain, mailbox_day: dt.date, domain_day: dt.date
) -> str | None:
    """Reserve one send on both the mailbox's and the domain's day; None when reserved, else
    ``"mailbox"`` or ``"domain"``: the cap that is full. Both or neither are taken."""
    _, full = quota_reserve_many(
        mailbox=mailbox, domain=domain, mailbox_day=mailbox_day, domain_day=domain_day, units=1
    )
    return full


def quota_release(
    *, mailbox_id: int, domain_id: int, mailbox_day: dt.date, domain_day: dt.date
) -> None:
    """Give back a reservation whose message never reached SMTP (cancelled)."""
    _give_back(QuotaScope.MAILBOX, mailbox_id, mailbox_day)
    _give_back(QuotaScope.DOMAIN, domain_id, domain_day)
