"""One row of the file → a clean lead (normalized like ``lead_create`` would) or its problems."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from typing import Any

from crm.models import CustomFieldDefinition, EmailStatus
from crm.normalize import InvalidValue, normalize_email, normalize_linkedin_url, normalize_website
from crm.services.custom_fields import custom_value_clean
from integrations.imports.dialects import SourceRow
from integrations.imports.targets import (
    COMPANY_LIMITS,
    CUSTOM_PREFIX,
    LEAD_LIMITS,
    SLOT_TARGETS,
)

_TIMEZONES = frozenset(zoneinfo.available_timezones())
# Most exported profile URLs are already simple: this gives the same result as
# normalize_linkedin_url for them at a fraction of the cost; anything else goes the long way.
# ``\w`` is unicode-aware: a slug like "søren-ng" without "%", "." or "~" needs no unquoting
# or quoting, so lower-casing it is all normalize_linkedin_url would do.
_SIMPLE_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/in/([\w-]+)/?$")
_SLUG_WORD = re.compile(r"^[\w-]+$")
_EMAIL_STATUS = {
    "valid": EmailStatus.VALID,
    "verified": EmailStatus.VALID,
    "deliverable": EmailStatus.VALID,
    "safe": EmailStatus.VALID,
    "invalid": EmailStatus.INVALID,
    "undeliverable": EmailStatus.INVALID,
    "bounced": EmailStatus.INVALID,
    "risky": EmailStatus.RISKY,
    "guessed": EmailStatus.RISKY,
    "unverified": EmailStatus.RISKY,
    "catchall": EmailStatus.CATCH_ALL,
    "acceptall": EmailStatus.CATCH_ALL,
    "catch_all": EmailStatus.CATCH_ALL,
}
SLOT_LIMIT = 2000


class CompanyRef:
    """The company named by a row, before it is found or created."""

    __slots__ = ("fields", "name", "website")

    def __init__(self, name: str, website: str, fields: dict[str, str]):
        self.name = name
        self.website = website
        self.fields = fields


class LeadRow:
    """A row that passed validation: lead field values ready to store."""

    __slots__ = ("cells", "company", "custom", "email", "fields", "linkedin", "number", "slots")

    def __init__(self, number: int, cells: list[str]):
        self.number = number
        self.cells = cells
        self.fields: dict[str, Any] = {}
        self.email: str | None = None
        self.linkedin: str | None = None
        self.company: CompanyRef | None = None
        self.custom: dict[str, Any] = {}
        self.slots: dict[str, str] = {}


class BadRow:
    """A row that failed validation: its cells and (column, reason) problems."""

    __slots__ = ("cells", "number", "problems")

    def __init__(self, number: int, cells: list[str], problems: list[tuple[str, str]]):
        self.number = number
        self.cells = cells
        self.problems = problems


def linkedin_normalized(raw: str) -> str | None:
    match = _SIMPLE_LINKEDIN.match(raw)
    if match:
        slug = match.group(1).lower()
        # Lower-casing can add combining marks ("İ" → "i̇") that the long way refuses.
        if slug.isascii() or _SLUG_WORD.match(slug):
            return f"https://www.linkedin.com/in/{slug}/"
    return normalize_linkedin_url(raw)


class RowCleaner:
    """Compiled from a job's mapping once, then applied to every row."""

    def __init__(
        self,
        *,
        headers: Sequence[str],
        mapping: Sequence[str],
        custom_fields: dict[str, CustomFieldDefinition],
        source_label: str = "",
    ):
        self.headers = list(headers)
        self.source_label = source_label
        at = {target: index for index, target in enumerate(mapping) if target}
        self.email_col = at.get("email")
        self.linkedin_col = at.get("linkedin_url")
        self.full_name_col = at.get("full_name")
        self.location_col = at.get("location")
        self.status_col = at.get("email_status")
        self.timezone_col = at.get("timezone")
        self.text_cols = [(f, at[f], limit) for f, limit in LEAD_LIMITS.items() if f in at]
        self.company_cols = [(f, at[f], limit) for f, limit in COMPANY_LIMITS.items() if f in at]
        self.slot_cols = [(s, at[s]) for s in SLOT_TARGETS if s in at]
        self.custom_cols = []
        for target, index in at.items():
            if target.startswith(CUSTOM_PREFIX):
                definition = custom_fields.get(target[len(CUSTOM_PREFIX) :])
                if definition is not None:
                    self.custom_cols.append((definition, index))

    def column(self, index: int | None, fallback: str) -> str:
        if index is not None and index < len(self.headers) and self.headers[index].strip():
            return self.headers[index].strip()
        return fallback

    def clean_source(self, source: SourceRow) -> LeadRow | BadRow | None:
        """As ``clean``; a row the file reader could not read is refused with its reason."""
        if source.error:
            return BadRow(source.number, source.cells, [("", source.error)])
        return self.clean(source.number, source.cells)

    def clean(self, number: int, cells: list[str]) -> LeadRow | BadRow | None:
        """The row's lead, its problems, or None for a blank row (skipped, not an error)."""
        if not "".join(cells).strip():  # as any(c.strip() for c in cells), at C speed
            return None
        n = len(cells)
        problems: list[tuple[str, str]] = []
        row = LeadRow(number, cells)
        fields = row.fields
        for field, index, limit in self.text_cols:
            value = cells[index].strip() if index < n else ""
            if len(value) > limit:
                problems.append((self.column(index, field), f"is longer than {limit} characters"))
            fields[field] = value
        if self.full_name_col is not None and self.full_name_col < n:
            self._split_name(cells[self.full_name_col].strip(), fields, problems)
        if self.location_col is not None and self.location_col < n:
            self._split_location(cells[self.location_col], fields)
        if self.source_label and not fields.get("source"):
            fields["source"] = self.source_label[:100]
        self._identity(row, cells, problems)
        if self.status_col is not None and self.status_col < n:
            key = cells[self.status_col].strip().lower().replace("-", "").replace(" ", "")
            fields["email_status"] = _EMAIL_STATUS.get(key, EmailStatus.UNKNOWN)
        if self.timezone_col is not None and self.timezone_col < n:
            tz = cells[self.timezone_col].strip()
            if tz and tz not in _TIMEZONES:
                problems.append(
                    (self.column(self.timezone_col, "timezone"), f"'{tz}' is not an IANA time zone")
                )
            fields["timezone"] = tz
        if self.company_cols:
            self._company(row, cells, problems)
        for slot, index in self.slot_cols:
            value = cells[index].strip() if index < n else ""
            if len(value) > SLOT_LIMIT:
                problems.append(
                    (self.column(index, slot), f"is longer than {SLOT_LIMIT} characters")
                )
            elif value:
                row.slots[slot] = value
        for definition, index in self.custom_cols:
            raw = cells[index] if index < n else ""
            try:
                value = custom_value_clean(definition, raw)
            except ValueError as exc:
                problems.append((self.column(index, definition.label), str(exc)))
                continue
            if value is not None:
                row.custom[definition.key] = value
        if problems:
            return BadRow(number, cells, problems)
        return row

    def _identity(self, row: LeadRow, cells: list[str], problems: list[tuple[str, str]]) -> None:
        n = len(cells)
        if self.email_col is not None and self.email_col < n:
            try:
                row.email = normalize_email(cells[self.email_col])
            except InvalidValue as exc:
                problems.append((self.column(self.email_col, "email"), str(exc)))
        if self.linkedin_col is not None and self.linkedin_col < n:
            raw = cells[self.linkedin_col].strip()
            try:
                row.linkedin = linkedin_normalized(raw) if raw else None
            except InvalidValue as exc:
                problems.append((self.column(self.linkedin_col, "linkedin_url"), str(exc)))
        if row.email is None and row.linkedin is None and not problems:
            problems.append(
                (self.column(self.email_col, "email"), "needs an email or a LinkedIn URL")
            )

    def _split_name(self, full: str, fields: dict[str, Any], problems: list) -> None:
        if fields.get("first_name") or fields.get("last_name") or not full:
            return
        first, _, last = full.partition(" ")
        for field, value in (("first_name", first), ("last_name", last.strip())):
            if len(value) > LEAD_LIMITS[field]:
                problems.append((self.column(self.full_name_col, "full_name"), "is too long"))
                return
            fields[field] = value

    def _split_location(self, raw: str, fields: dict[str, Any]) -> None:
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if not parts:
            return
        guess = {"country": parts[-1]}
        if len(parts) >= 2:
            guess["city"] = parts[0]
        if len(parts) >= 3:
            guess["region"] = parts[1]
        for field, value in guess.items():
            if not fields.get(field):
                fields[field] = value[: LEAD_LIMITS[field]]

    def _company(self, row: LeadRow, cells: list[str], problems: list) -> None:
        n = len(cells)
        values: dict[str, str] = {}
        for field, index, limit in self.company_cols:
            value = cells[index].strip() if index < n else ""
            if len(value) > limit:
                problems.append((self.column(index, field), f"is longer than {limit} characters"))
            if value:
                values[field] = value
        name = values.pop("company_name", "")
        try:
            website = normalize_website(values.pop("company_website", ""))
        except InvalidValue:
            website = ""  # not a website (javascript:…): the company is still found by name
        # As lead_create: a company only when the row names one or gives its website.
        if name or website:
            row.company = CompanyRef(name, website, values)
