"""SPF macro syntax and expansion (RFC 7208 §7).

Macros are validated when a record is parsed (a bad macro anywhere makes the whole record a
permerror) and expanded only when the term using them is evaluated, because ``%{p}`` costs
DNS lookups that an earlier matching term makes unnecessary.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import quote


class MacroError(ValueError):
    """A macro-string does not follow the RFC 7208 grammar."""


_TOKEN = re.compile(
    r"%\{(?P<letter>[a-zA-Z])(?P<digits>\d*)(?P<reverse>[rR]?)(?P<delims>[.\-+,/_=]*)\}"
    r"|%%|%_|%-|(?P<literal>[^%]+)|(?P<bad>%.?)",
    re.DOTALL,
)
_DOMAIN_LETTERS = set("slodiphv")
_EXPLAIN_LETTERS = _DOMAIN_LETTERS | set("crt")
_ESCAPES = {"%%": "%", "%_": " ", "%-": "%20"}
# RFC 7208 §4.8: a domain-end is "." toplabel, optionally followed by a dot.
_TOPLABEL = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9]", re.IGNORECASE)
MAX_DOMAIN_LENGTH = 253


def _tokens(text: str, *, explain: bool) -> list[re.Match[str]]:
    allowed = _EXPLAIN_LETTERS if explain else _DOMAIN_LETTERS
    tokens = []
    for match in _TOKEN.finditer(text):
        if match["bad"] is not None:
            raise MacroError(f"invalid macro {match['bad']!r} in {text!r}")
        letter = match["letter"]
        if letter is not None:
            if letter.lower() not in allowed:
                raise MacroError(f"macro letter {letter!r} not allowed in {text!r}")
            if match["digits"] and int(match["digits"]) == 0:
                raise MacroError(f"macro digit transformer must not be zero in {text!r}")
        if match["literal"] is not None:
            literal = match["literal"]
            visible = all(0x21 <= ord(c) <= 0x7E or (explain and c == " ") for c in literal)
            if not visible:
                raise MacroError(f"invalid character in {literal!r}")
        tokens.append(match)
    return tokens


def validate_domain_spec(spec: str) -> None:
    """Raise MacroError unless ``spec`` is an RFC 7208 domain-spec."""
    tokens = _tokens(spec, explain=False)
    if not tokens:
        raise MacroError("empty domain-spec")
    if tokens[-1]["letter"] is not None:
        return  # domain-end may be a macro-expand
    body = spec[:-1] if spec.endswith(".") else spec
    _head, dot, toplabel = body.rpartition(".")
    if not dot or not _TOPLABEL.fullmatch(toplabel):
        raise MacroError(f"{spec!r} does not end in a valid top-level label")


def validate_macro_string(text: str, *, explain: bool = False) -> None:
    _tokens(text, explain=explain)


@dataclass
class MacroContext:
    """The values macros expand to during one check_host() evaluation."""

    ip: IPv4Address | IPv6Address
    sender: str
    local_part: str
    sender_domain: str
    domain: str
    helo: str
    validated_name: Callable[[str], Awaitable[str]]  # %{p}: costs DNS, so computed on demand
    receiver: str = "unknown"

    async def value(self, letter: str) -> str:
        values = {
            "s": self.sender,
            "l": self.local_part,
            "o": self.sender_domain,
            "d": self.domain,
            "h": self.helo,
            "r": self.receiver,
            "t": str(int(time.time())),
            "v": "in-addr" if self.ip.version == 4 else "ip6",
            "c": str(self.ip),
        }
        if letter == "i":
            if self.ip.version == 4:
                return str(self.ip)
            # Upper-case nibbles, as the openspf suite expects (DNS ignores case anyway).
            return ".".join(self.ip.exploded.replace(":", "").upper())
        if letter == "p":
            return await self.validated_name(self.domain)
        return values[letter]


async def expand(text: str, ctx: MacroContext, *, explain: bool = False) -> str:
    """Expand the macros of a domain-spec (or, with ``explain``, of an explanation string)."""
    out: list[str] = []
    for token in _tokens(text, explain=explain):
        if token["literal"] is not None:
            out.append(token["literal"])
        elif token["letter"] is None:
            out.append(_ESCAPES[token.group(0)])
        else:
            out.append(await _expand_one(token, ctx))
    result = "".join(out)
    return result if explain else truncate_domain(result)


async def _expand_one(token: re.Match[str], ctx: MacroContext) -> str:
    letter = token["letter"]
    value = await ctx.value(letter.lower())
    delimiters = token["delims"] or "."
    parts = re.split("[" + re.escape(delimiters) + "]", value)
    if token["reverse"]:
        parts.reverse()
    if token["digits"]:
        parts = parts[-int(token["digits"]) :]
    joined = ".".join(parts)
    # An upper-case macro letter asks for URL escaping (RFC 7208 §7.3).
    return quote(joined, safe="") if letter.isupper() else joined


def truncate_domain(name: str) -> str:
    """Drop labels from the left until the name fits DNS (RFC 7208 §7.3)."""
    while len(name.rstrip(".")) > MAX_DOMAIN_LENGTH and "." in name:
        name = name.split(".", 1)[1]
    return name
