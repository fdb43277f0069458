"""The values a lead offers to templates, and the names a template may use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm.models import Lead
    from outreach.models import Enrollment, Mailbox

LEAD_VARIABLES = (
    "first_name",
    "last_name",
    "full_name",
    "email",
    "title",
    "city",
    "region",
    "country",
    "phone",
)
COMPANY_VARIABLES = ("company", "company_domain", "company_website", "industry")
SLOT_VARIABLES = ("slot1", "slot2", "slot3")
SENDER_VARIABLES = ("sender_name", "sender_email")
KNOWN = frozenset(LEAD_VARIABLES + COMPANY_VARIABLES + SLOT_VARIABLES + SENDER_VARIABLES)


def is_known(name: str, custom_keys: set[str]) -> bool:
    """``custom.<key>`` names a lead custom field, ``company.<key>`` a company one."""
    if name in KNOWN:
        return True
    prefix, _, key = name.partition(".")
    return prefix in {"custom", "company"} and key in custom_keys


def values_for(*, lead: Lead, enrollment: Enrollment | None, mailbox: Mailbox) -> dict[str, str]:
    values: dict[str, str] = {name: str(getattr(lead, name, "") or "") for name in LEAD_VARIABLES}
    values["full_name"] = lead.full_name
    company = lead.company
    if company is not None:
        values.update(
            company=company.name,
            company_domain=company.domain or "",
            company_website=company.website,
            industry=company.industry,
        )
        for key, value in (company.custom_fields or {}).items():
            values[f"company.{key}"] = _text(value)
    for key, value in (lead.custom_fields or {}).items():
        values[f"custom.{key}"] = _text(value)
    slots = {**(lead.slots or {}), **((enrollment.slots if enrollment else None) or {})}
    for name in SLOT_VARIABLES:
        values[name] = _text(slots.get(name))
    values["sender_name"] = mailbox.display_name
    values["sender_email"] = mailbox.address
    return values


def _text(value: object) -> str:
    return "" if value is None else str(value)
