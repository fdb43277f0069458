"""What a column can become: a lead field, a company field, a sequence slot or a custom field."""

from __future__ import annotations

from crm.services.leads import LEAD_TEXT_FIELDS

# Lead fields an import may write, with labels shown in the mapping step.
LEAD_TARGETS = {
    "first_name": "First name",
    "last_name": "Last name",
    "full_name": "Full name (split into first and last)",
    "email": "Email",
    "email_status": "Email status",
    "title": "Job title",
    "linkedin_url": "LinkedIn URL",
    "phone": "Phone",
    "location": 'Location ("City, Region, Country")',
    "city": "City",
    "region": "Region / state",
    "country": "Country",
    "address": "Street address",
    "postal_code": "Postal code",
    "timezone": "Time zone",
    "source": "Source",
}
COMPANY_TARGETS = {
    "company_name": "Company name",
    "company_website": "Company website",
    "company_industry": "Company industry",
    "company_size": "Company size",
    "company_linkedin_url": "Company LinkedIn URL",
    "company_city": "Company city",
    "company_region": "Company region",
    "company_country": "Company country",
}
SLOT_TARGETS = {
    "slot1": "Slot 1 (subject)",
    "slot2": "Slot 2 (intro line)",
    "slot3": "Slot 3 (PS line)",
}
CUSTOM_PREFIX = "custom:"

# Maximum lengths of lead text fields and of company fields an import may set.
LEAD_LIMITS = dict(LEAD_TEXT_FIELDS)
COMPANY_LIMITS = {
    "company_name": 200,
    "company_website": 500,
    "company_industry": 120,
    "company_size": 40,
    "company_linkedin_url": 300,
    "company_city": 120,
    "company_region": 120,
    "company_country": 120,
}
FIXED_TARGETS = {**LEAD_TARGETS, **COMPANY_TARGETS, **SLOT_TARGETS}


def target_label(target: str) -> str:
    if target.startswith(CUSTOM_PREFIX):
        return f"Custom field: {target[len(CUSTOM_PREFIX) :]}"
    return FIXED_TARGETS.get(target, target)


def is_target(target: str) -> bool:
    return (
        target == ""
        or target in FIXED_TARGETS
        or (target.startswith(CUSTOM_PREFIX) and len(target) > len(CUSTOM_PREFIX))
    )
