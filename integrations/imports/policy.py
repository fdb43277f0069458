"""What a row changes on a lead that already exists: the ``fill`` and ``overwrite`` policies.

``fill`` writes only fields that are empty on the lead; ``overwrite`` writes every non-empty
cell. Empty cells never erase. Custom fields and slots merge key by key. The search text is
recomputed when a searched field changes, as ``lead_update`` does.
"""

from __future__ import annotations

import json
from typing import Any

from crm.models import EmailStatus
from crm.normalize import search_text
from integrations.imports.rows import LeadRow
from integrations.models import DuplicatePolicy

# Columns read from existing leads when the policy may change them.
EXISTING_COLUMNS = (
    "first_name",
    "last_name",
    "email_status",
    "title",
    "company_id",
    "phone",
    "city",
    "region",
    "country",
    "address",
    "postal_code",
    "timezone",
    "source",
    "custom_fields",
    "slots",
    "owner_id",
    "(SELECT name FROM crm_company WHERE crm_company.id = crm_lead.company_id)",
)
_TEXT_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "phone",
    "city",
    "region",
    "country",
    "address",
    "postal_code",
    "timezone",
    "source",
)
_SEARCHED = {"first_name", "last_name", "email", "title", "company_id"}


def _loads(value: Any) -> dict:
    if isinstance(value, str):
        return json.loads(value or "{}")
    return dict(value or {})


def lead_changes(
    row: LeadRow,
    existing: tuple,
    *,
    policy: str,
    owner_id: int | None,
    companies: dict,
    by_email: dict,
    by_linkedin: dict,
) -> dict[str, Any]:
    """Column → new database value for an existing lead, under the job's duplicate policy.

    ``existing`` is a row of ``leads_find`` with EXISTING_COLUMNS; ``companies`` maps row numbers
    to (company id, name); ``by_email``/``by_linkedin`` are the chunk's existing leads, so an
    identity is never moved onto a value another lead holds.
    """
    if policy == DuplicatePolicy.SKIP:
        return {}
    overwrite = policy == DuplicatePolicy.OVERWRITE
    lead_id, email, linkedin = existing[0], existing[1], existing[2]
    current = dict(zip(EXISTING_COLUMNS, existing[3:], strict=True))
    change: dict[str, Any] = {}

    def offer(name: str, value: Any, empty: Any = "") -> None:
        if value in (None, "") or value == current.get(name):
            return
        if overwrite or current.get(name) in (None, empty):
            change[name] = value

    for name in _TEXT_FIELDS:
        offer(name, row.fields.get(name, ""))
    offer("email_status", row.fields.get("email_status"), EmailStatus.UNKNOWN)
    # An identity moves only to a value no other lead holds.
    if (
        row.email
        and row.email != email
        and by_email.get(row.email, existing)[0] == lead_id
        and (overwrite or email is None)
    ):
        change["email"] = row.email
    if (
        row.linkedin
        and row.linkedin != linkedin
        and by_linkedin.get(row.linkedin, existing)[0] == lead_id
        and (overwrite or linkedin is None)
    ):
        change["linkedin_url"] = row.linkedin
    company_name = current[EXISTING_COLUMNS[-1]] or ""
    if row.number in companies:
        company_id, name = companies[row.number]
        if company_id != current["company_id"] and (overwrite or not current["company_id"]):
            change["company_id"], company_name = company_id, name
    if owner_id and not current["owner_id"]:
        change["owner_id"] = owner_id
    for name, incoming in (("custom_fields", row.custom), ("slots", row.slots)):
        if incoming:
            have = _loads(current[name])
            merged = {**have, **incoming} if overwrite else {**incoming, **have}
            if merged != have:
                change[name] = json.dumps(merged, ensure_ascii=False)
    if _SEARCHED & change.keys():
        values = {**current, "email": email, **change}
        change["search_text"] = search_text(
            values["first_name"],
            values["last_name"],
            values["email"],
            company_name,
            values["title"],
        )
    return change
