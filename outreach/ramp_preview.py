"""The next days of a mailbox's ramp: how many sequence emails it may send each day, and why.

Computed by the caps' own rules (outreach.caps), so the preview is what the planner will allow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from outreach.caps import domain_cap_on, mailbox_cap_on
from outreach.models import Mailbox, SendingDomain


@dataclass(frozen=True)
class RampDay:
    day: dt.date
    cap: int
    # Why the cap is what it is, when it is not the ramp's own number.
    note: str = ""


def ramp_preview(
    *, mailbox: Mailbox, domain: SendingDomain, start: dt.date, days: int = 30
) -> list[RampDay]:
    """``days`` days from ``start``: the mailbox's cap each day (an unsaved mailbox works too)."""
    preview = []
    for n in range(days):
        day = start + dt.timedelta(days=n)
        if day.weekday() not in (mailbox.window_weekdays or []):
            preview.append(RampDay(day, 0, "no sending on this day"))
        elif domain_cap_on(domain, day) == 0:
            preview.append(RampDay(day, 0, f"{domain} is warming up"))
        else:
            own = mailbox_cap_on(mailbox, day)
            cap = min(own, domain.daily_cap)
            if own == 0:
                note = "before the ramp starts"
            elif cap < own:
                note = "the domain's cap, shared by its mailboxes"
            else:
                note = ""
            preview.append(RampDay(day, cap, note))
    return preview
