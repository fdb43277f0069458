"""Which column becomes which lead field: presets, aliases, fuzzy matching and saved mappings."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from crm.errors import Conflict, ValidationFailed
from crm.models import CustomFieldDefinition, Workspace
from integrations.imports.presets import PRESETS, Preset, preset_detect
from integrations.imports.targets import CUSTOM_PREFIX, is_target
from integrations.models import SavedMapping

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)

# Header spellings seen in the wild, normalized by header_key, per target.
ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "first", "givenname", "prenom", "vorname", "fname"),
    "last_name": ("lastname", "last", "surname", "familyname", "nom", "nachname", "lname"),
    "full_name": ("fullname", "name", "contactname", "personname", "leadname"),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "workemail",
        "businessemail",
        "professionalemail",
        "emailpro",
        "courriel",
        "primaryemail",
        "contactemail",
    ),
    "email_status": ("emailstatus", "emailverification", "verificationstatus"),
    "title": ("title", "jobtitle", "position", "role", "headline", "poste", "fonction"),
    "linkedin_url": (
        "linkedin",
        "linkedinurl",
        "personlinkedinurl",
        "linkedinprofile",
        "linkedinprofileurl",
        "profileurl",
        "linkedinprofilelink",
    ),
    "phone": ("phone", "phonenumber", "mobile", "mobilephone", "telephone", "tel", "workphone"),
    "location": ("location", "personlocation", "geography"),
    "city": ("city", "town", "ville", "personcity"),
    "region": ("region", "state", "stateregion", "province", "county"),
    "country": ("country", "countryregion", "pays", "personcountry"),
    "address": ("address", "streetaddress", "street", "mailingaddress", "postaladdress"),
    "postal_code": ("postalcode", "zip", "zipcode", "postcode", "codepostal"),
    "timezone": ("timezone", "tz"),
    "source": ("source", "leadsource"),
    "company_name": (
        "company",
        "companyname",
        "organization",
        "organisation",
        "account",
        "accountname",
        "employer",
        "entreprise",
        "societe",
    ),
    "company_website": (
        "website",
        "companywebsite",
        "companydomain",
        "domain",
        "url",
        "companyurl",
        "websiteurl",
    ),
    "company_industry": ("industry", "companyindustry", "sector"),
    "company_size": ("employees", "companysize", "headcount", "numberofemployees", "size"),
    "company_linkedin_url": ("companylinkedinurl", "companylinkedin"),
    "company_city": ("companycity",),
    "company_region": ("companystate", "companyregion"),
    "company_country": ("companycountry",),
    "slot1": ("slot1", "subject", "subjectline", "customsubject"),
    "slot2": (
        "slot2",
        "icebreaker",
        "intro",
        "introline",
        "opener",
        "personalization",
        "firstline",
    ),
    "slot3": ("slot3", "ps", "psline", "postscript"),
}
_ALIAS_TO_TARGET = {alias: target for target, aliases in ALIASES.items() for alias in aliases}
# Columns written by our own error report; never mapped when a fixed file is re-imported.
IGNORED_KEYS = frozenset({"error", "errors"})
FUZZY_CUTOFF = 0.85


def header_key(header: str) -> str:
    """``" Person LinkedIn-URL "`` → ``"personlinkedinurl"``, ``"Prénom"`` → ``"prenom"``."""
    plain = unicodedata.normalize("NFKD", header.strip().lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", plain)


@dataclass
class Suggestion:
    targets: list[str]
    # How each column's target was found: preset, saved, alias, fuzzy, custom or none.
    reasons: list[str]
    preset: str


def find_header_row(rows: Sequence[list[str]]) -> int:
    """0-based index of the header row among the first rows of a file.

    LinkedIn's Connections.csv starts with a few "Notes:" lines; we take the first row naming at
    least two known columns, else the first row with two or more non-blank cells.
    """
    for index, cells in enumerate(rows):
        keys = {header_key(c) for c in cells if c.strip()}
        if sum(1 for k in keys if k in _ALIAS_TO_TARGET) >= 2:
            return index
    for index, cells in enumerate(rows):
        if sum(1 for c in cells if c.strip()) >= 2:
            return index
    return 0


def suggest_mapping(
    *,
    workspace: Workspace,
    headers: Sequence[str],
    preset: str = "",
    saved: SavedMapping | None = None,
) -> Suggestion:
    """A target per column: saved mapping, then preset, then aliases, then a close match.

    Each target is used once (the first column claiming it wins), so a file with two "Email"
    columns fills ``email`` from the first and leaves the other for the user to decide.
    """
    keys = [header_key(h) for h in headers]
    chosen: Preset | None = PRESETS.get(preset) if preset else preset_detect(set(keys))
    custom_keys = set(
        CustomFieldDefinition.objects.filter(workspace=workspace, entity="lead").values_list(
            "key", flat=True
        )
    )
    targets: list[str] = []
    reasons: list[str] = []
    used: set[str] = set()
    for key in keys:
        target, reason = _match(key, chosen, saved, custom_keys)
        if target and target in used:
            target, reason = "", "none"
        used.add(target)
        targets.append(target)
        reasons.append(reason)
    return Suggestion(targets=targets, reasons=reasons, preset=chosen.name if chosen else "")


def _match(
    key: str, preset: Preset | None, saved: SavedMapping | None, custom_keys: set[str]
) -> tuple[str, str]:
    if not key or key in IGNORED_KEYS:
        return "", "none"
    if saved is not None and key in saved.columns:
        return saved.columns[key], "saved"
    if preset is not None and key in preset.columns:
        return preset.columns[key], "preset"
    if key in _ALIAS_TO_TARGET:
        return _ALIAS_TO_TARGET[key], "alias"
    if preset is not None:
        # A preset knows its layout: its other columns are not guessed at, only exact aliases.
        return _custom_or_none(key, custom_keys)
    close = difflib.get_close_matches(key, _ALIAS_TO_TARGET, n=1, cutoff=FUZZY_CUTOFF)
    if close:
        return _ALIAS_TO_TARGET[close[0]], "fuzzy"
    return _custom_or_none(key, custom_keys)


def _custom_or_none(key: str, custom_keys: set[str]) -> tuple[str, str]:
    for custom in custom_keys:
        if header_key(custom) == key:
            return CUSTOM_PREFIX + custom, "custom"
    return "", "none"


def mapping_validate(targets: Sequence[str], column_count: int) -> list[str]:
    """The mapping as stored on a job; ValidationFailed naming each bad column."""
    errors: dict[str, list[str]] = {}
    clean = [str(t or "") for t in targets][:column_count]
    clean += [""] * (column_count - len(clean))
    seen: dict[str, int] = {}
    for index, target in enumerate(clean):
        if not is_target(target):
            errors[f"mapping.{index}"] = [f"'{target}' is not something a column can fill."]
        elif target and target in seen:
            errors[f"mapping.{index}"] = [
                f"'{target}' is already filled by column {seen[target] + 1}."
            ]
        elif target:
            seen[target] = index
    if not any(t in {"email", "linkedin_url"} for t in clean):
        errors["mapping"] = ["Map a column to Email or LinkedIn URL: leads are found by them."]
    if errors:
        raise ValidationFailed("This mapping cannot be used.", errors=errors)
    return clean


def mapping_save(
    *, workspace: Workspace, name: str, headers: Sequence[str], targets: Sequence[str]
) -> SavedMapping:
    """Keep a file's mapping under a name, to reuse for the next file from the same tool."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed.field("name", "Give the mapping a name of at most 100 characters.")
    columns = {
        header_key(h): t for h, t in zip(headers, targets, strict=False) if t and header_key(h)
    }
    existing = SavedMapping.objects.filter(workspace=workspace, name__iexact=name).first()
    if existing is not None:
        existing.columns = columns
        existing.save(update_fields=["columns"])
        return existing
    try:
        with transaction.atomic():
            return SavedMapping.objects.create(workspace=workspace, name=name, columns=columns)
    except IntegrityError:
        raise Conflict(f"A mapping named '{name}' already exists.") from None
