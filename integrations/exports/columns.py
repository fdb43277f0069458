"""The columns an export can have, by name, and how each is read from the database."""

from __future__ import annotations

from crm.errors import ValidationFailed
from crm.models import CustomFieldDefinition, Workspace

# name → (header, ORM path). Company and address fields included: account managers export
# customers' postal addresses to send gifts.
FIXED_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("ID", "id"),
    "first_name": ("First name", "first_name"),
    "last_name": ("Last name", "last_name"),
    "email": ("Email", "email"),
    "email_status": ("Email status", "email_status"),
    "title": ("Title", "title"),
    "linkedin_url": ("LinkedIn URL", "linkedin_url"),
    "phone": ("Phone", "phone"),
    "address": ("Address", "address"),
    "postal_code": ("Postal code", "postal_code"),
    "city": ("City", "city"),
    "region": ("Region", "region"),
    "country": ("Country", "country"),
    "timezone": ("Time zone", "timezone"),
    "source": ("Source", "source"),
    "owner_email": ("Owner", "owner__email"),
    "do_not_contact": ("Do not contact", "do_not_contact"),
    "created_at": ("Created", "created_at"),
    "company_name": ("Company", "company__name"),
    "company_domain": ("Company domain", "company__domain"),
    "company_website": ("Company website", "company__website"),
    "company_industry": ("Company industry", "company__industry"),
    "company_size": ("Company size", "company__size"),
    "company_address": ("Company address", "company__address"),
    "company_postal_code": ("Company postal code", "company__postal_code"),
    "company_city": ("Company city", "company__city"),
    "company_region": ("Company region", "company__region"),
    "company_country": ("Company country", "company__country"),
}
SLOT_COLUMNS = {"slot1": "Slot 1", "slot2": "Slot 2", "slot3": "Slot 3"}
DEFAULT_COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "title",
    "company_name",
    "linkedin_url",
    "phone",
    "city",
    "country",
)
CUSTOM_PREFIX = "custom:"


def columns_resolve(*, workspace: Workspace, names: list[str] | None) -> list[tuple[str, str]]:
    """(name, header) of each requested column; ValidationFailed naming unknown ones."""
    wanted = [n.strip() for n in (names or DEFAULT_COLUMNS) if n.strip()]
    custom = {
        d.key: d.label
        for d in CustomFieldDefinition.objects.filter(workspace=workspace, entity="lead")
    }
    resolved, unknown = [], []
    for name in dict.fromkeys(wanted):
        if name in FIXED_COLUMNS:
            resolved.append((name, FIXED_COLUMNS[name][0]))
        elif name in SLOT_COLUMNS:
            resolved.append((name, SLOT_COLUMNS[name]))
        elif name.startswith(CUSTOM_PREFIX) and name[len(CUSTOM_PREFIX) :] in custom:
            resolved.append((name, custom[name[len(CUSTOM_PREFIX) :]]))
        elif name in {"tags", "lists"}:
            resolved.append((name, name.capitalize()))
        else:
            unknown.append(name)
    if unknown:
        known = [*FIXED_COLUMNS, *SLOT_COLUMNS, "tags", "lists"]
        raise ValidationFailed.field(
            "columns",
            f"Unknown columns: {', '.join(unknown)}. Known: {', '.join(known)}, custom:<key>.",
        )
    if not resolved:
        raise ValidationFailed.field("columns", "Choose at least one column.")
    return resolved
