"""Flattening: bring an SPF record back under the 10-lookup limit.

An ``include:`` whose record (and everything it includes) is nothing but ``ip4``/``ip6`` terms
can be replaced by those terms: the record then authorizes the same addresses with fewer DNS
lookups. The price is that the copy goes stale when the provider changes its ranges, so big
providers keep their ``include:`` unless flattening them is the only way under the limit.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from .resolver import DnsClient, DnsUnavailable
from .spf import MAX_DNS_TERMS, select_records
from .spf_record import SpfRecord, SpfSyntaxError, parse

# Providers that change their ranges without notice; a stale copy silently fails their mail.
BIG_PROVIDERS = frozenset(
    {
        "_spf.google.com",
        "spf.protection.outlook.com",
        "amazonses.com",
        "sendgrid.net",
        "mailgun.org",
        "servers.mcsv.net",
        "spf.mandrillapp.com",
        "_spf.salesforce.com",
        "mail.zendesk.com",
        "spf.mtasv.net",
        "_spf.mailersend.net",
        "spf.brevo.com",
        "sendinblue.com",
        "mktomail.com",
        "_spf.hubspotemail.net",
    }
)
MAX_DEPTH = 10  # RFC 7208 stops after 10 lookups; a deeper include chain is broken anyway

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FlatInclude:
    """A top-level ``include:`` and the fixed addresses it stands for."""

    term: str
    domain: str
    lookups: int  # what replacing it saves: the include itself plus its nested lookups
    networks: tuple[Network, ...]

    @property
    def is_big_provider(self) -> bool:
        return self.domain.lower().rstrip(".") in BIG_PROVIDERS

    def terms(self) -> list[str]:
        return [_term(network) for network in self.networks]


@dataclass(frozen=True)
class Flattening:
    """The suggested record and which includes it replaced."""

    record: str
    lookups: int
    flattened: tuple[FlatInclude, ...]


async def fixed_networks(
    client: DnsClient, domain: str, depth: int = 0
) -> tuple[list[Network], int] | None:
    """The networks ``domain``'s SPF record passes, and the lookups it costs beyond its own
    TXT query; None when the answer depends on anything but fixed addresses (a, mx, exists,
    macros, +all, a non-pass qualifier) or cannot be read. Failing DNS just means "do not
    flatten" here: the lint already reports it."""
    if depth > MAX_DEPTH:
        return None
    try:
        texts = select_records(await client.query(domain, "TXT"))
        if len(texts) != 1:
            return None
        return await _record_networks(client, parse(texts[0]), depth)
    except (SpfSyntaxError, DnsUnavailable):
        return None


async def _record_networks(
    client: DnsClient, record: SpfRecord, depth: int
) -> tuple[list[Network], int] | None:
    networks: list[Network] = []
    lookups = 0
    for mechanism in record.mechanisms:
        if mechanism.kind == "all":
            if mechanism.qualifier == "+":
                return None  # passes everyone: flattening would need +all, never suggest that
            return networks, lookups  # nothing after "all" is ever evaluated
        if mechanism.qualifier != "+":
            return None  # a non-pass term carves addresses out: keep the provider's logic
        if mechanism.kind in ("ip4", "ip6"):
            assert mechanism.network is not None
            networks.append(mechanism.network)
        elif mechanism.kind == "include" and "%" not in mechanism.domain_spec:
            nested = await fixed_networks(client, mechanism.domain_spec, depth + 1)
            if nested is None:
                return None
            networks.extend(nested[0])
            lookups += 1 + nested[1]
        else:
            return None
    if record.redirect:
        if "%" in record.redirect:
            return None
        target = await fixed_networks(client, record.redirect, depth + 1)
        if target is None:
            return None
        networks.extend(target[0])
        lookups += 1 + target[1]
    return networks, lookups


async def flatten(
    client: DnsClient, record: SpfRecord, lookups: int, *, target: int
) -> Flattening | None:
    """A record that needs at most ``target`` lookups, or failing that at most 10.

    Other includes are flattened down to ``target``; a big provider's include only when the
    record would otherwise stay over the 10-lookup limit. None when nothing can be flattened
    or the record stays over the limit anyway.
    """
    candidates: list[FlatInclude] = []
    for mechanism in record.mechanisms:
        if mechanism.kind != "include" or mechanism.qualifier != "+":
            continue
        if "%" in mechanism.domain_spec:
            continue
        fixed = await fixed_networks(client, mechanism.domain_spec)
        if fixed is None:
            continue
        networks = tuple(_collapse(fixed[0]))
        flat = FlatInclude(mechanism.text, mechanism.domain_spec, 1 + fixed[1], networks)
        candidates.append(flat)
    # The biggest savings first, the big providers last: their ranges change most often.
    candidates.sort(key=lambda c: (c.is_big_provider, -c.lookups, len(c.networks)))
    chosen: list[FlatInclude] = []
    remaining = lookups
    for candidate in candidates:
        if remaining <= (MAX_DNS_TERMS if candidate.is_big_provider else target):
            continue
        chosen.append(candidate)
        remaining -= candidate.lookups
    if not chosen or remaining > MAX_DNS_TERMS:
        return None
    return Flattening(_replace(record.text, chosen), remaining, tuple(chosen))


def _collapse(networks: list[Network]) -> list[Network]:
    """Duplicates and adjacent ranges merged, IPv4 first: the same addresses, shorter."""
    v4 = [n for n in networks if isinstance(n, ipaddress.IPv4Network)]
    v6 = [n for n in networks if isinstance(n, ipaddress.IPv6Network)]
    return [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]


def _term(network: Network) -> str:
    full = network.prefixlen == network.max_prefixlen
    return f"ip{network.version}:{network.network_address if full else network}"


def _replace(text: str, chosen: list[FlatInclude]) -> str:
    """Each chosen include replaced in place: SPF takes the first match, so order matters."""
    by_term = {c.term: c for c in chosen}
    terms: list[str] = []
    seen: set[str] = set()
    for term in text.split(" "):
        if not term:
            continue
        flat = by_term.get(term)
        for new in flat.terms() if flat else [term]:
            if flat is None or new not in seen:
                terms.append(new)
            seen.add(new)
    return " ".join(terms)
