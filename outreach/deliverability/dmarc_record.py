"""Parsing DMARC records (RFC 9989, with RFC 7489's removed tags still recognized)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tag_list import TagListError, parse_tags

POLICIES = ("none", "quarantine", "reject")
REMOVED_TAGS = ("pct", "rf", "ri")  # RFC 9989 dropped them; receivers ignore them
_VERSION = re.compile(r"v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)", re.IGNORECASE)
_URI = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):(?P<rest>[^!]+)(?:!(?P<size>\d+[kmgt]?))?")


class DmarcSyntaxError(ValueError):
    """The record is not a valid DMARC record."""


@dataclass(frozen=True)
class ReportUri:
    """A rua/ruf destination such as ``mailto:dmarc@example.com!10m``."""

    uri: str
    scheme: str
    address: str
    max_size: str = ""

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2].lower() if self.scheme == "mailto" else ""


@dataclass(frozen=True)
class DmarcRecord:
    text: str
    p: str  # "none" when the tag is missing (RFC 9989 §4.7)
    sp: str
    np: str
    adkim: str = "r"
    aspf: str = "r"
    t: str = "n"
    psd: str = "u"
    fo: str = "0"
    pct: int | None = None
    ri: int | None = None
    rua: tuple[ReportUri, ...] = ()
    ruf: tuple[ReportUri, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def removed_tags(self) -> list[str]:
        return [tag for tag in REMOVED_TAGS if tag in self.tags]

    @property
    def unknown_tags(self) -> list[str]:
        known = {"v", "p", "sp", "np", "adkim", "aspf", "t", "psd", "fo", "rua", "ruf"}
        return [tag for tag in self.tags if tag not in known and tag not in REMOVED_TAGS]


def is_dmarc_record(text: str) -> bool:
    """Which TXT records at _dmarc count as DMARC records (leading spaces still count, so a
    record broken that way is reported rather than silently ignored)."""
    return _VERSION.match(text.lstrip()) is not None


def _choice(tags: dict[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = tags.get(name, default).strip().lower()
    if value not in allowed:
        raise DmarcSyntaxError(f"{name}={tags[name]} is not one of {', '.join(allowed)}")
    return value


def _uris(tags: dict[str, str], name: str) -> tuple[ReportUri, ...]:
    uris = []
    for item in (part.strip() for part in tags.get(name, "").split(",")):
        if not item:
            continue
        match = _URI.fullmatch(item)
        if match is None or (match["scheme"].lower() == "mailto" and "@" not in match["rest"]):
            raise DmarcSyntaxError(f"{name}= holds {item!r}, which is not a report URI")
        uris.append(ReportUri(item, match["scheme"].lower(), match["rest"], match["size"] or ""))
    return tuple(uris)


def _optional_int(tags: dict[str, str], name: str) -> int | None:
    value = tags.get(name, "").strip()
    return int(value) if value.isdigit() else None  # removed tags are not validated


def parse_dmarc(text: str) -> DmarcRecord:
    """Parse one DMARC record; raise DmarcSyntaxError with a plain-language reason."""
    if text[:1].isspace():
        raise DmarcSyntaxError("the record starts with whitespace; it must start with v=DMARC1")
    if not _VERSION.match(text):
        raise DmarcSyntaxError("the record must start with v=DMARC1")
    try:
        tags = parse_tags(text)
    except TagListError as exc:
        raise DmarcSyntaxError(str(exc)) from exc
    p = _choice(tags, "p", POLICIES, "none")
    sp = _choice(tags, "sp", POLICIES, p)
    fo = tags.get("fo", "0").strip().lower()
    if not all(option in ("0", "1", "d", "s") for option in fo.split(":")):
        raise DmarcSyntaxError(f"fo={tags['fo']} is not a list of 0, 1, d and s")
    return DmarcRecord(
        text=text,
        p=p,
        sp=sp,
        np=_choice(tags, "np", POLICIES, sp),
        adkim=_choice(tags, "adkim", ("r", "s"), "r"),
        aspf=_choice(tags, "aspf", ("r", "s"), "r"),
        t=_choice(tags, "t", ("y", "n"), "n"),
        psd=_choice(tags, "psd", ("y", "n", "u"), "u"),
        fo=fo,
        pct=_optional_int(tags, "pct"),
        ri=_optional_int(tags, "ri"),
        rua=_uris(tags, "rua"),
        ruf=_uris(tags, "ruf"),
        tags=tags,
    )
