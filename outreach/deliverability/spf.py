"""RFC 7208 check_host(): may this IP address send mail for this sender?

The evaluator is async so the domain checker can run many evaluations side by side on one
:class:`DnsClient`; :func:`check_host` is the synchronous door for scripts and tests.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field

from .resolver import DnsClient, DnsUnavailable, Lookup, ResolverConfig
from .spf_macros import MacroContext, MacroError, expand, validate_macro_string
from .spf_record import DNS_MECHANISMS, Mechanism, SpfRecord, SpfSyntaxError, is_spf_record, parse

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
QUALIFIER_RESULTS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}
MAX_DNS_TERMS = 10  # RFC 7208 §4.6.4
MAX_VOID_LOOKUPS = 2
MAX_NAMES = 10  # MX exchanges / PTR names looked at per term
DEFAULT_EXPLANATION = "%{d} does not designate %{i} as a permitted sender"


@dataclass(frozen=True)
class SpfResult:
    """The outcome of check_host(); ``problem`` says why for permerror and temperror."""

    result: str
    explanation: str = ""
    explanation_source: str = ""  # "exp" (the domain's own text) or "default"
    domain: str = ""
    mechanism: str = ""  # the term that matched, if any
    problem: str = ""


class _Abort(Exception):
    def __init__(self, result: str, problem: str) -> None:
        super().__init__(problem)
        self.result = result
        self.problem = problem


def is_checkable_domain(domain: str) -> bool:
    """RFC 7208 §4.3: a malformed or single-label domain gives "none" without any lookup."""
    labels = domain[:-1].split(".") if domain.endswith(".") else domain.split(".")
    if len(labels) < 2 or any(not label or len(label) > 63 for label in labels):
        return False
    return labels[-1].replace("-", "").isalnum()


def select_records(lookup: Lookup) -> list[str]:
    """The SPF records among a name's TXT records (others are none of our business)."""
    return [text for text in lookup.txt_strings() if is_spf_record(text)]


@dataclass
class _Evaluation:
    client: DnsClient
    ip: IPAddress
    sender: str
    local_part: str
    sender_domain: str
    helo: str
    dns_terms: int = 0
    void_lookups: int = 0
    _ptr_names: list[str] | None = field(default=None, repr=False)

    def macros(self, domain: str) -> MacroContext:
        return MacroContext(
            self.ip,
            self.sender,
            self.local_part,
            self.sender_domain,
            domain,
            self.helo,
            self.validated_name,
        )

    async def query(self, name: str, rdtype: str, *, counts_void: bool = True) -> Lookup:
        lookup = await self.client.query(name, rdtype)
        if counts_void and lookup.void:
            self.void_lookups += 1
            if self.void_lookups > MAX_VOID_LOOKUPS:
                raise _Abort("permerror", "more than 2 void DNS lookups")
        return lookup

    async def addresses(self, name: str, *, counts_void: bool = True) -> list[IPAddress]:
        rdtype = "A" if self.ip.version == 4 else "AAAA"
        lookup = await self.query(name, rdtype, counts_void=counts_void)
        return [ipaddress.ip_address(a) for a in lookup.records]

    async def validated_names(self) -> list[str]:
        """Reverse names of the IP whose own addresses include it (RFC 7208 §5.5)."""
        if self._ptr_names is None:
            names: list[str] = []
            try:
                lookup = await self.client.query(self.ip.reverse_pointer, "PTR")
            except DnsUnavailable:
                lookup = Lookup(self.ip.reverse_pointer, "PTR")
            for name in lookup.records[:MAX_NAMES]:
                try:
                    if self.ip in await self.addresses(name, counts_void=False):
                        names.append(name.lower())
                except DnsUnavailable:
                    continue  # an unreachable name is skipped, not fatal
            self._ptr_names = names
        return self._ptr_names

    async def validated_name(self, domain: str) -> str:
        names = await self.validated_names()
        domain = domain.lower().rstrip(".")
        for preferred in (
            [n for n in names if n == domain],
            [n for n in names if n.endswith("." + domain)],
            names,
        ):
            if preferred:
                return preferred[0]
        return "unknown"

    async def check(self, domain: str) -> SpfResult:
        """check_host() for one domain; include and redirect recurse through here."""
        if not is_checkable_domain(domain):
            return SpfResult("none", domain=domain, problem="not a valid domain name")
        try:
            return await self._check(domain)
        except _Abort as abort:
            return SpfResult(abort.result, domain=domain, problem=abort.problem)

    async def _check(self, domain: str) -> SpfResult:
        try:
            lookup = await self.client.query(domain, "TXT")
        except DnsUnavailable as exc:
            raise _Abort("temperror", str(exc)) from exc
        records = select_records(lookup)
        if not records:
            return SpfResult("none", domain=domain, problem="no SPF record")
        if len(records) > 1:
            raise _Abort("permerror", "more than one SPF record")
        try:
            record = parse(records[0])
        except SpfSyntaxError as exc:
            raise _Abort("permerror", str(exc)) from exc
        for mechanism in record.mechanisms:
            if await self._matches(mechanism, domain):
                result = QUALIFIER_RESULTS[mechanism.qualifier]
                if result == "fail":
                    return await self._fail(record, domain, mechanism.text)
                return SpfResult(result, domain=domain, mechanism=mechanism.text)
        if record.redirect and not record.has_all:
            return await self._redirect(record.redirect, domain)
        return SpfResult("neutral", domain=domain)

    async def _redirect(self, spec: str, domain: str) -> SpfResult:
        self._count_dns_term()
        target = await self._expand(spec, domain)
        result = await self.check(target)
        if result.result == "none":
            raise _Abort("permerror", f"redirect target {target} has no SPF record")
        return result

    def _count_dns_term(self) -> None:
        self.dns_terms += 1
        if self.dns_terms > MAX_DNS_TERMS:
            raise _Abort("permerror", "more than 10 DNS-querying terms")

    async def _expand(self, spec: str, domain: str) -> str:
        try:
            return await expand(spec, self.macros(domain))
        except MacroError as exc:
            raise _Abort("permerror", str(exc)) from exc

    async def _matches(self, mechanism: Mechanism, domain: str) -> bool:
        kind = mechanism.kind
        if kind == "all":
            return True
        if kind in ("ip4", "ip6"):
            return self.ip in mechanism.network  # type: ignore[operator]
        self._count_dns_term()
        assert kind in DNS_MECHANISMS
        target = (
            await self._expand(mechanism.domain_spec, domain) if mechanism.domain_spec else domain
        )
        try:
            return await getattr(self, f"_match_{kind}")(mechanism, target)
        except DnsUnavailable as exc:
            raise _Abort("temperror", str(exc)) from exc

    def _in_network(self, address: IPAddress, mechanism: Mechanism) -> bool:
        prefix = mechanism.cidr4 if self.ip.version == 4 else mechanism.cidr6
        return self.ip in ipaddress.ip_network(f"{address}/{prefix}", strict=False)

    async def _match_include(self, mechanism: Mechanism, target: str) -> bool:
        result = await self.check(target)
        if result.result in ("temperror", "permerror"):
            raise _Abort(result.result, result.problem)
        if result.result == "none":
            raise _Abort("permerror", f"included domain {target} has no SPF record")
        return result.result == "pass"

    async def _match_a(self, mechanism: Mechanism, target: str) -> bool:
        addresses = await self.addresses(target)
        return any(self._in_network(a, mechanism) for a in addresses)

    async def _match_mx(self, mechanism: Mechanism, target: str) -> bool:
        lookup = await self.query(target, "MX")
        if len(lookup.records) > MAX_NAMES:
            raise _Abort("permerror", f"{target} has more than 10 MX records")
        for _preference, exchange in sorted(lookup.records):
            if exchange == ".":
                continue
            for address in await self.addresses(exchange, counts_void=False):
                if self._in_network(address, mechanism):
                    return True
        return False

    async def _match_ptr(self, mechanism: Mechanism, target: str) -> bool:
        target = target.lower().rstrip(".")
        names = await self.validated_names()
        return any(n == target or n.endswith("." + target) for n in names)

    async def _match_exists(self, mechanism: Mechanism, target: str) -> bool:
        lookup = await self.query(target, "A")  # always A, whatever the client's family
        return bool(lookup.records)

    async def _fail(self, record: SpfRecord, domain: str, term: str) -> SpfResult:
        explanation = await self._explanation(record.exp, domain) if record.exp else None
        if explanation is None:
            default = await expand(DEFAULT_EXPLANATION, self.macros(domain), explain=True)
            return SpfResult("fail", default, "default", domain, term)
        return SpfResult("fail", explanation, "exp", domain, term)

    async def _explanation(self, spec: str, domain: str) -> str | None:
        """RFC 7208 §6.2: any problem with the explanation falls back to the default one."""
        try:
            target = await expand(spec, self.macros(domain))
            if not is_checkable_domain(target):
                return None
            texts = (await self.client.query(target, "TXT")).txt_strings()
            if len(texts) != 1 or not texts[0].isascii():
                return None
            validate_macro_string(texts[0], explain=True)
            return await expand(texts[0], self.macros(domain), explain=True)
        except (MacroError, DnsUnavailable):
            return None


async def check_host_async(ip: str, sender: str, helo: str, *, client: DnsClient) -> SpfResult:
    """RFC 7208 check_host() for the MAIL FROM ``sender`` (or the HELO name when it is empty)."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    local_part, at, sender_domain = sender.rpartition("@")
    if not at:
        sender_domain = sender or helo
    local_part = local_part or "postmaster"
    evaluation = _Evaluation(
        client, address, f"{local_part}@{sender_domain}", local_part, sender_domain, helo
    )
    return await evaluation.check(sender_domain)


def check_host(
    ip: str, sender: str, helo: str, *, resolver: DnsClient | ResolverConfig | None = None
) -> SpfResult:
    """Synchronous check_host(); ``resolver`` is a config (a fresh cache) or a shared client."""

    async def run() -> SpfResult:
        client = (
            resolver if isinstance(resolver, DnsClient) else DnsClient(resolver or ResolverConfig())
        )
        return await check_host_async(ip, sender, helo, client=client)

    return asyncio.run(run())
