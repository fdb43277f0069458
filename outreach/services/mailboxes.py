from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.errors import Conflict, ValidationFailed
from crm.net.addresses import UnresolvableHost, UnsafeAddress
from crm.normalize import InvalidValue, normalize_email
from outreach.mail_servers import server_addresses
from outreach.models import Mailbox, MailboxState, SendingDomain, Transport
from outreach.services.domains import check_timezone

# Fields a user may set; state, counters and sync cursors belong to the engine.
EDITABLE = {
    "display_name", "signature", "dkim_selector", "transport",
    "smtp_host", "smtp_port", "smtp_security", "smtp_username", "smtp_password",
    "imap_host", "imap_port", "imap_security", "imap_username", "imap_password",
    "daily_cap", "ramp_start", "ramp_step", "ramp_starts_on",
    "window_weekdays", "window_start", "window_end", "timezone",
    "gap_min_seconds", "gap_max_seconds",
}  # fmt: skip
# RFC 6376 §3.1: a selector is a dot-separated sequence of DNS labels.
_LABEL = r"[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?"
_SELECTOR_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")


def _apply(mailbox: Mailbox, data: dict[str, Any]) -> None:
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationFailed(
            "Unknown mailbox fields.", errors={k: ["Not a mailbox setting."] for k in unknown}
        )
    nulls = sorted(k for k, v in data.items() if v is None)
    if nulls:
        # Every setting has a value; leaving one out keeps it (or takes the default).
        raise ValidationFailed(
            "Mailbox settings cannot be null.", errors={k: ["Cannot be null."] for k in nulls}
        )
    for key, value in data.items():
        setattr(mailbox, key, value)
    errors: dict[str, list[str]] = {}
    if mailbox.daily_cap < 1:
        errors["daily_cap"] = ["The daily cap must be at least 1."]
    if mailbox.gap_max_seconds < mailbox.gap_min_seconds:
        errors["gap_max_seconds"] = ["Must be at least the minimum gap."]
    if mailbox.window_end <= mailbox.window_start:
        errors["window_end"] = ["The window must end after it starts."]
    if not set(mailbox.window_weekdays or []) <= set(range(7)) or not mailbox.window_weekdays:
        errors["window_weekdays"] = ["Pick at least one day, Monday = 0 … Sunday = 6."]
    mailbox.dkim_selector = (mailbox.dkim_selector or "").strip().lower()
    if mailbox.dkim_selector and not _SELECTOR_RE.match(mailbox.dkim_selector):
        errors["dkim_selector"] = ["A selector is one or more DNS labels, e.g. google or s1."]
    if errors:
        raise ValidationFailed("The mailbox settings are not valid.", errors=errors)
    check_timezone(mailbox.timezone)


def _check_servers(mailbox: Mailbox) -> None:
    """Refuse SMTP and IMAP hosts that lead to private or internal addresses.

    Capture mailboxes connect nowhere. A name that does not resolve yet passes: it is judged
    again, like every host, each time a connection is opened.
    """
    if mailbox.transport == Transport.CAPTURE:
        return
    errors: dict[str, list[str]] = {}
    for field, port in (("smtp_host", mailbox.smtp_port), ("imap_host", mailbox.imap_port)):
        host = getattr(mailbox, field)
        if not host:
            continue
        try:
            server_addresses(host, port or 0, field=field)
        except UnsafeAddress as exc:
            errors.update(exc.errors)
        except UnresolvableHost:
            pass
    if errors:
        raise UnsafeAddress("A mail server of this mailbox is not allowed.", errors=errors)


def mailbox_create(
    *, workspace, domain: SendingDomain, address: str, data: dict[str, Any] | None = None
) -> Mailbox:
    """Add a mailbox on one of the workspace's sending domains.

    Its ramp starts the day the domain is warm (or today, when later).
    """
    try:
        email = normalize_email(address)
    except InvalidValue as exc:
        raise ValidationFailed.field("address", str(exc)) from None
    if not email or email.rsplit("@", 1)[1] != domain.domain:
        raise ValidationFailed.field("address", f"The address must be at {domain.domain}.")
    if domain.workspace_id != workspace.pk:
        raise ValidationFailed.field("domain", "Not a sending domain of this workspace.")
    mailbox = Mailbox(
        workspace=workspace,
        domain=domain,
        address=email,
        ramp_starts_on=max(domain.warm_on, timezone.localdate()),
    )
    _apply(mailbox, dict(data or {}))
    _check_servers(mailbox)
    try:
        with transaction.atomic():
            mailbox.save()
    except IntegrityError:
        raise Conflict(f"{email} is already a mailbox of this workspace.") from None
    return mailbox


@transaction.atomic
def mailbox_update(*, mailbox: Mailbox, data: dict[str, Any]) -> Mailbox:
    """Change settings; a blank password in ``data`` keeps the stored one."""
    data = {k: v for k, v in data.items() if not (k.endswith("_password") and not v)}
    _apply(mailbox, data)
    _check_servers(mailbox)
    mailbox.save()
    return mailbox


@transaction.atomic
def mailbox_pause(*, mailbox: Mailbox, reason: str) -> None:
    """Stop the mailbox sending; the reason (often the server's own words) is shown to the user."""
    Mailbox.objects.filter(pk=mailbox.pk).update(
        state=MailboxState.PAUSED, paused_reason=reason[:1000]
    )
    mailbox.state, mailbox.paused_reason = MailboxState.PAUSED, reason[:1000]


@transaction.atomic
def mailbox_resume(*, mailbox: Mailbox) -> None:
    """Send again after a pause, with the failure count reset."""
    Mailbox.objects.filter(pk=mailbox.pk).update(
        state=MailboxState.ACTIVE, paused_reason="", consecutive_failures=0
    )
    mailbox.state, mailbox.paused_reason, mailbox.consecutive_failures = MailboxState.ACTIVE, "", 0


def ramp_day(mailbox: Mailbox, day: dt.date) -> int:
    return (day - mailbox.ramp_starts_on).days + 1
