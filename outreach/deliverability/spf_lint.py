"""SPF lint: is a domain's published record one that receivers will honour?

check_host() answers "does this IP pass"; the lint answers "what is wrong with the record and
what exactly to publish instead". Every finding that has a remedy carries the corrected record.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from ipaddress import ip_address

from .findings import DnsRecord, Finding, Severity, dns_unavailable, error, info, warning
from .resolver import DnsClient, DnsUnavailable
from .spf import MAX_DNS_TERMS, check_host_async, is_checkable_domain, select_records
from .spf_flatten import Flattening, flatten
from .spf_record import DNS_MECHANISMS, SpfRecord, SpfSyntaxError, parse

LOOKUP_WARNING = 8
# Errors that make receivers answer permerror: the record exists but nothing can pass it.
PERMERROR_CODES = frozenset(
    {"spf.syntax_error", "spf.too_many_lookups", "spf.broken_include", "spf.void_lookups"}
)
MAX_UDP_ANSWER = 512  # larger answers need EDNS or TCP; some receivers give up
MAX_STRING = 255  # one DNS character-string


@dataclass
class SpfCheck:
    """What the SPF check found, plus the facts the readiness summary needs."""

    findings: list[Finding] = field(default_factory=list)
    record: str = ""
    authorizes_mailboxes: bool = False  # every given SMTP host IP gets "pass"

    @property
    def usable(self) -> bool:
        """A record receivers can evaluate (not one that ends in permerror for everyone)."""
        return bool(self.record) and not any(
            f.code in PERMERROR_CODES and f.severity is Severity.ERROR for f in self.findings
        )


@dataclass
class _Walk:
    """Totals over the record and everything it includes or redirects to."""

    lookups: int = 0
    void_terms: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def _is_all(term: str) -> bool:
    return term.lstrip("+-~?").lower() == "all"


def rewrite(
    record: str,
    *,
    drop: AbstractSet[str] = frozenset(),
    add: Sequence[str] = (),
    all_term: str = "",
) -> str:
    """The record with terms dropped, terms added before ``all``, and ``all`` replaced."""
    terms = [t for t in record.split(" ")[1:] if t and t not in drop]
    old_all = next((t for t in terms if _is_all(t)), "")
    terms = [t for t in terms if not _is_all(t)]
    modifiers = [t for t in terms if "=" in t and ":" not in t.split("=")[0]]
    mechanisms = [t for t in terms if t not in modifiers]
    final = all_term or old_all
    if final:  # "all" makes redirect= meaningless, so drop it with the old all
        modifiers = [m for m in modifiers if not m.lower().startswith("redirect=")]
    return " ".join(["v=spf1", *mechanisms, *add, *([final] if final else []), *modifiers])


def txt_value(value: str) -> str:
    """How to write a TXT value in a zone file: quoted strings of at most 255 bytes each."""
    chunks = [value[i : i + MAX_STRING] for i in range(0, len(value), MAX_STRING)] or [""]
    return " ".join(f'"{chunk}"' for chunk in chunks)


def _fix(domain: str, record: str) -> DnsRecord:
    return DnsRecord(domain, "TXT", record)


async def _walk(client: DnsClient, record: SpfRecord, domain: str, walk: _Walk) -> None:
    walk.seen.add(domain.lower())
    targets = [m for m in record.mechanisms if m.kind in DNS_MECHANISMS]
    for mechanism in targets:
        walk.lookups += 1
        spec = mechanism.domain_spec or domain
        if "%" in spec:
            continue  # macros depend on the sender: nothing to resolve ahead of time
        if mechanism.kind == "include":
            await _follow(client, spec, walk, mechanism.text)
        elif mechanism.kind in ("a", "mx", "exists"):
            types = {"a": ("A", "AAAA"), "mx": ("MX",), "exists": ("A",)}[mechanism.kind]
            lookups = [await client.query(spec, t) for t in types]
            if all(lookup.void for lookup in lookups):
                walk.void_terms.append(mechanism.text)
    if record.redirect and not record.has_all and "%" not in record.redirect:
        walk.lookups += 1
        await _follow(client, record.redirect, walk, "redirect=" + record.redirect)


async def _follow(client: DnsClient, target: str, walk: _Walk, term: str) -> None:
    if target.lower() in walk.seen:
        walk.broken.append(f"{term} loops back to a record already included")
        return
    texts = select_records(await client.query(target, "TXT"))
    if len(texts) != 1:
        walk.void_terms.append(term)
        walk.broken.append(f"{term} points at a domain with {len(texts)} SPF records")
        return
    try:
        await _walk(client, parse(texts[0]), target, walk)
    except SpfSyntaxError as exc:
        walk.broken.append(f"{term}: {exc}")


def _syntax_fix(text: str) -> str:
    """Keep the terms that parse on their own; what cannot be parsed cannot be guessed."""
    good = []
    for term in text[6:].split(" "):
        try:
            parse("v=spf1 " + term)
        except SpfSyntaxError:
            continue
        if term:
            good.append(term)
    has_all = any(_is_all(t) for t in good)
    return rewrite("v=spf1 " + " ".join(good), all_term="" if has_all else "~all")


def starter_record(smtp_ips: Sequence[str]) -> str:
    terms = [f"ip{ip_address(ip).version}:{ip}" for ip in smtp_ips] or ["mx"]
    return " ".join(["v=spf1", *terms, "~all"])


def lint_record(
    domain: str, text: str, walk: _Walk | None = None, flattening: Flattening | None = None
) -> list[Finding]:
    """Findings about one record's own text (and, given a walk, its lookup totals)."""
    try:
        record = parse(text)
    except SpfSyntaxError as exc:
        fixed = _syntax_fix(text)
        return [
            error("spf.syntax_error", f"The SPF record is invalid: {exc}.", _fix(domain, fixed))
        ]
    found: list[Finding] = []
    all_terms = [m for m in record.mechanisms if m.kind == "all"]
    if any(m.qualifier == "+" for m in all_terms):
        found.append(
            error(
                "spf.plus_all",
                "The record ends in +all (or a bare all): anyone may send as you.",
                _fix(domain, rewrite(text, all_term="~all")),
            )
        )
    elif any(m.qualifier == "?" for m in all_terms) or not (all_terms or record.redirect):
        found.append(
            warning(
                "spf.neutral_all",
                "The record does not end in ~all or -all, so it protects nothing.",
                _fix(domain, rewrite(text, all_term="~all")),
            )
        )
    ptr_terms = {m.text for m in record.mechanisms if m.kind == "ptr"}
    if ptr_terms:
        found.append(
            warning(
                "spf.ptr",
                "The ptr mechanism is slow and deprecated (RFC 7208 §5.5); many receivers "
                "ignore it.",
                _fix(domain, rewrite(text, drop=ptr_terms)),
            )
        )
    if len(text) > MAX_STRING:
        found.append(
            info(
                "spf.long_string",
                f"The record is {len(text)} characters: publish it as several "
                f"quoted strings of at most 255 characters: {txt_value(text)}",
                _fix(domain, text),
            )
        )
    if walk is not None:
        found.extend(_lookup_findings(domain, text, walk, flattening))
    return found


def _flattening_advice(domain: str, flattening: Flattening | None) -> tuple[str, DnsRecord | None]:
    if flattening is None:
        return "", None
    names = ", ".join(flat.domain for flat in flattening.flattened)
    advice = (
        f" The suggested record replaces the includes of {names} with the addresses they "
        f"publish today and needs {flattening.lookups} lookups. A flattened record must be "
        "refreshed whenever a provider changes its ranges, or their mail starts to fail SPF: "
        "re-run this check regularly."
    )
    return advice, _fix(domain, flattening.record)


def _lookup_findings(
    domain: str, text: str, walk: _Walk, flattening: Flattening | None
) -> list[Finding]:
    found = []
    advice, fix = _flattening_advice(domain, flattening)
    if walk.lookups > MAX_DNS_TERMS:
        found.append(
            error(
                "spf.too_many_lookups",
                f"The record needs {walk.lookups} DNS lookups (the limit is "
                "10): receivers will answer permerror. Remove includes you no longer use." + advice,
                fix,
            )
        )
    elif walk.lookups >= LOOKUP_WARNING:
        found.append(
            warning(
                "spf.many_lookups",
                f"The record needs {walk.lookups} of the 10 allowed DNS lookups." + advice,
                fix,
            )
        )
    if walk.void_terms:
        severity = error if len(walk.void_terms) > 2 else warning
        found.append(
            severity(
                "spf.void_lookups",
                "These terms point at names with no records: "
                + ", ".join(walk.void_terms)
                + ". More than 2 make the record a permerror.",
                _fix(domain, rewrite(text, drop=set(walk.void_terms))),
            )
        )
    for problem in walk.broken:
        found.append(
            error("spf.broken_include", f"Part of the record cannot be evaluated: {problem}.")
        )
    return found


async def check_spf(domain: str, client: DnsClient, *, smtp_ips: Sequence[str] = ()) -> SpfCheck:
    """Lint ``domain``'s SPF record and check that each SMTP host IP passes it."""
    check = SpfCheck()
    if not is_checkable_domain(domain):
        check.findings.append(error("spf.invalid_domain", f"{domain} is not a valid domain name."))
        return check
    try:
        lookup = await client.query(domain, "TXT")
        texts = select_records(lookup)
        if len(texts) > 1:
            merged = rewrite(" ".join(["v=spf1", *(t[6:] for t in texts)]))
            check.findings.append(
                error(
                    "spf.multiple_records",
                    f"{domain} publishes {len(texts)} SPF records; receivers "
                    "treat that as permerror. Merge them into one.",
                    _fix(domain, merged),
                )
            )
            return check
        if not texts:
            check.findings.append(
                error(
                    "spf.missing",
                    f"{domain} has no SPF record.",
                    _fix(domain, starter_record(smtp_ips)),
                )
            )
            return check
        check.record = texts[0]
        try:
            record = parse(check.record)
        except SpfSyntaxError:
            check.findings.extend(lint_record(domain, check.record))
            return check  # nothing passes a broken record; the syntax fix comes first
        walk = _Walk()
        await _walk(client, record, domain, walk)
        flattening = None
        if walk.lookups >= LOOKUP_WARNING:
            # The includes were just resolved, so flattening is answered from the run cache.
            flattening = await flatten(client, record, walk.lookups, target=LOOKUP_WARNING - 1)
        check.findings.extend(lint_record(domain, check.record, walk, flattening))
        if lookup.wire_size > MAX_UDP_ANSWER:
            check.findings.append(
                warning(
                    "spf.answer_too_large",
                    f"The TXT answer for {domain} is {lookup.wire_size} bytes; "
                    "over 512 bytes some receivers fail to fetch it. Remove unused TXT records.",
                )
            )
        await _check_mailboxes(domain, client, check, smtp_ips)
    except DnsUnavailable as exc:
        check.findings.append(dns_unavailable("spf", exc))
    return check


async def _check_mailboxes(
    domain: str, client: DnsClient, check: SpfCheck, ips: Sequence[str]
) -> None:
    failing = []
    for ip in ips:
        outcome = await check_host_async(ip, f"postmaster@{domain}", domain, client=client)
        if outcome.result == "temperror":
            raise DnsUnavailable(domain, "TXT", outcome.problem)
        if outcome.result != "pass":
            failing.append((ip, outcome.result))
    check.authorizes_mailboxes = bool(ips) and not failing
    if failing:
        add = [f"ip{ip_address(ip).version}:{ip}" for ip, _result in failing]
        described = ", ".join(f"{ip} ({result})" for ip, result in failing)
        check.findings.append(
            error(
                "spf.not_authorized",
                f"The SPF record does not let your SMTP hosts send: {described}.",
                _fix(domain, rewrite(check.record, add=add)),
            )
        )
