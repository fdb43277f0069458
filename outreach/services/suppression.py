from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from crm.errors import ValidationFailed
from crm.models import Lead, Workspace
from crm.normalize import InvalidValue, normalize_email
from outreach.models import Suppression


def _normalize(value: str) -> str:
    raw = value.strip().lower()
    if "@" in raw:
        try:
            return normalize_email(raw) or ""
        except InvalidValue as exc:
            raise ValidationFailed.field("value", str(exc)) from None
    domain = raw.lstrip("@").strip(".")
    if "." not in domain or " " in domain:
        raise ValidationFailed.field("value", f"'{value}' is neither an email nor a domain.")
    return domain


@transaction.atomic
def suppression_add(
    *, workspace: Workspace, value: str, reason: str, note: str = ""
) -> Suppression:
    """Never email this address (or every address at this domain) again. Idempotent: the first
    reason recorded is kept."""
    normalized = _normalize(value)
    if not normalized:
        raise ValidationFailed.field("value", "An email or a domain is required.")
    row, _ = Suppression.objects.get_or_create(
        workspace=workspace, value=normalized, defaults={"reason": reason, "note": note[:500]}
    )
    return row


@transaction.atomic
def suppression_remove(*, suppression: Suppression) -> None:
    """Lift a suppression (a manual entry made by mistake)."""
    suppression.delete()


def is_suppressed(*, workspace_id: int, email: str | None) -> bool:
    """The one suppression check, used at enrollment and again right before each send."""
    if not email or "@" not in email:
        return False
    address = email.strip().lower()
    domain = address.rsplit("@", 1)[1]
    return Suppression.objects.filter(
        workspace_id=workspace_id, value__in=[address, domain]
    ).exists()


def lead_block_reason(lead: Lead) -> str | None:
    """Why this lead may not be emailed now, or None: the one place that decides it."""
    return leads_block_reasons([lead]).get(lead.pk)


def leads_block_reasons(leads: Iterable[Lead]) -> dict[int, str]:
    """``lead_block_reason`` for many leads with one query: lead id → reason, for the blocked."""
    from crm.models import EmailStatus

    reasons: dict[int, str] = {}
    to_check: dict[int, tuple[int, str, str]] = {}  # lead id → (workspace, address, domain)
    for lead in leads:
        if lead.do_not_contact:
            reasons[lead.pk] = "do-not-contact"
        elif not lead.email:
            reasons[lead.pk] = "no email address"
        elif lead.email_status == EmailStatus.INVALID:
            reasons[lead.pk] = "invalid email"
        elif "@" in lead.email:
            address = lead.email.strip().lower()
            to_check[lead.pk] = (lead.workspace_id, address, address.rsplit("@", 1)[1])
    if to_check:
        listed = set(
            Suppression.objects.filter(
                workspace_id__in={w for w, _, _ in to_check.values()},
                value__in={v for _, a, d in to_check.values() for v in (a, d)},
            ).values_list("workspace_id", "value")
        )
        for pk, (workspace_id, address, domain) in to_check.items():
            if (workspace_id, address) in listed or (workspace_id, domain) in listed:
                reasons[pk] = "suppressed"
    return reasons
