"""Parsing SPF records (RFC 7208 §4.5, §5, §6, §12).

The whole record is parsed before any term is evaluated: a syntax error anywhere is a
permerror even when an earlier term would have matched.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from .spf_macros import MacroError, validate_domain_spec, validate_macro_string

DNS_MECHANISMS = frozenset({"include", "a", "mx", "ptr", "exists"})
MECHANISMS = DNS_MECHANISMS | {"all", "ip4", "ip6"}
_TERM = re.compile(r"(?P<qualifier>[+\-~?]?)(?P<name>[a-zA-Z][a-zA-Z0-9\-_.]*)(?P<rest>.*)")
_DUAL_CIDR = re.compile(r"(?P<spec>.*?)(?:/(?P<cidr4>\d+))?(?://(?P<cidr6>\d+))?", re.DOTALL)
_CIDR = re.compile(r"0|[1-9][0-9]*")  # RFC 7208 §5.6: no leading zeros


class SpfSyntaxError(ValueError):
    """The record is not valid SPF: evaluation ends in permerror."""


@dataclass(frozen=True)
class Mechanism:
    qualifier: str  # one of + - ~ ?
    kind: str
    domain_spec: str = ""  # empty: the current domain
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    cidr4: int = 32
    cidr6: int = 128
    text: str = ""


@dataclass(frozen=True)
class SpfRecord:
    mechanisms: tuple[Mechanism, ...]
    redirect: str = ""
    exp: str = ""
    text: str = ""

    @property
    def has_all(self) -> bool:
        return any(m.kind == "all" for m in self.mechanisms)


def is_spf_record(text: str) -> bool:
    """RFC 7208 §4.5: exactly "v=spf1", then a space or the end of the record."""
    return text[:6].lower() == "v=spf1" and (len(text) == 6 or text[6] == " ")


def parse(text: str) -> SpfRecord:
    """Parse an SPF record; raise SpfSyntaxError for anything RFC 7208 does not allow."""
    if not is_spf_record(text):
        raise SpfSyntaxError("record does not start with v=spf1")
    if not text.isascii():
        raise SpfSyntaxError("SPF records must be 7-bit ASCII")
    mechanisms: list[Mechanism] = []
    modifiers: dict[str, str] = {}
    for term in text[6:].split(" "):
        if not term:
            continue
        match = _TERM.fullmatch(term)
        if match is None:
            raise SpfSyntaxError(f"invalid term {term!r}")
        name, rest = match["name"].lower(), match["rest"]
        if rest.startswith("=") and not match["qualifier"]:
            _add_modifier(modifiers, name, rest[1:], term)
        elif name in MECHANISMS:
            mechanisms.append(_mechanism(match["qualifier"] or "+", name, rest, term))
        else:
            raise SpfSyntaxError(f"unknown mechanism {term!r}")
    return SpfRecord(
        tuple(mechanisms), modifiers.get("redirect", ""), modifiers.get("exp", ""), text
    )


def _add_modifier(modifiers: dict[str, str], name: str, value: str, term: str) -> None:
    try:
        if name in ("redirect", "exp"):
            if name in modifiers:
                raise SpfSyntaxError(f"{name}= appears more than once")
            validate_domain_spec(value)
            modifiers[name] = value
        else:
            validate_macro_string(value)  # unknown modifiers are ignored, but must parse
    except MacroError as exc:
        raise SpfSyntaxError(f"{term!r}: {exc}") from exc


def _cidr(digits: str | None, maximum: int, term: str) -> int:
    if digits is None:
        return maximum
    if not _CIDR.fullmatch(digits) or int(digits) > maximum:
        raise SpfSyntaxError(f"invalid prefix length in {term!r}")
    return int(digits)


def _mechanism(qualifier: str, kind: str, rest: str, term: str) -> Mechanism:
    if kind == "all":
        if rest:
            raise SpfSyntaxError(f"'all' takes no argument: {term!r}")
        return Mechanism(qualifier, kind, text=term)
    if kind in ("ip4", "ip6"):
        return _ip_mechanism(qualifier, kind, rest, term)
    if kind in ("include", "exists", "ptr"):
        spec, cidr4, cidr6 = rest, 32, 128
    else:  # a, mx: optional domain, then a dual CIDR length
        dual = _DUAL_CIDR.fullmatch(rest)
        assert dual is not None  # the pattern matches any string
        spec = dual["spec"]
        cidr4 = _cidr(dual["cidr4"], 32, term)
        cidr6 = _cidr(dual["cidr6"], 128, term)
    if spec and not spec.startswith(":"):
        raise SpfSyntaxError(f"invalid mechanism {term!r}")
    spec = spec[1:]
    if kind in ("include", "exists") and not spec:
        raise SpfSyntaxError(f"{kind} needs a domain: {term!r}")
    if spec or rest.startswith(":"):
        try:
            validate_domain_spec(spec)
        except MacroError as exc:
            raise SpfSyntaxError(f"{term!r}: {exc}") from exc
    return Mechanism(qualifier, kind, spec, None, cidr4, cidr6, term)


def _ip_mechanism(qualifier: str, kind: str, rest: str, term: str) -> Mechanism:
    if not rest.startswith(":"):
        raise SpfSyntaxError(f"{kind} needs an address: {term!r}")
    address, slash, digits = rest[1:].partition("/")
    maximum = 32 if kind == "ip4" else 128
    prefix = _cidr(digits if slash else None, maximum, term)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError as exc:
        raise SpfSyntaxError(f"invalid address in {term!r}") from exc
    if ip.version != (4 if kind == "ip4" else 6):
        raise SpfSyntaxError(f"wrong address family in {term!r}")
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return Mechanism(qualifier, kind, network=network, text=term)
