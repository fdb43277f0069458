"""Which DMARC record governs a domain, and what its organizational domain is.

RFC 9989 §4.10 finds both with a DNS tree walk, so no public suffix list is needed. RFC 7489
receivers (still most of them) use a public suffix list instead; we compute that answer with a
small built-in list of common suffixes so the report can say when the two disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .dmarc_record import DmarcRecord, DmarcSyntaxError, is_dmarc_record, parse_dmarc
from .resolver import DnsClient

MAX_WALK_LABELS = 7  # RFC 9989 §4.10: longer names jump straight to their last 7 labels
# A deliberately small list: the common multi-label suffixes plus the "*" rule (any unknown
# TLD is a suffix). Enough to explain the RFC 7489 answer for everyday sending domains.
COMMON_PUBLIC_SUFFIXES = frozenset(
    """
    co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk net.uk com.au net.au org.au edu.au gov.au
    co.nz org.nz net.nz co.jp ne.jp or.jp ac.jp co.za org.za com.br net.br org.br com.mx
    org.mx com.ar com.co com.sg com.hk com.tw com.cn net.cn org.cn co.in net.in org.in
    firm.in co.il co.kr or.kr com.tr co.id com.my com.ph com.pk com.ng com.ua co.ke com.eg
    com.sa com.pe com.vn github.io herokuapp.com netlify.app vercel.app pages.dev
    blogspot.com azurewebsites.net cloudfront.net appspot.com
    """.split()  # noqa: SIM905 - a word list reads better than 63 quoted items
)


@dataclass(frozen=True)
class Found:
    """A single valid DMARC record found during the walk (or why there was not one)."""

    domain: str
    record: DmarcRecord | None = None
    texts: tuple[str, ...] = ()  # every DMARC-looking TXT record at the name
    problem: str = ""


@dataclass
class Discovery:
    """The result of policy and organizational-domain discovery for one author domain."""

    domain: str
    policy: Found | None = None  # the record that governs the domain, if any
    organizational_domain: str = ""
    at_author: Found | None = None  # what the domain's own _dmarc name holds
    walk: list[str] = field(default_factory=list)  # names queried, in order


def walk_targets(domain: str) -> Iterator[str]:
    """The names RFC 9989 §4.10 queries for ``domain``, nearest first."""
    labels = domain.lower().rstrip(".").split(".")
    yield ".".join(labels)
    labels = labels[-MAX_WALK_LABELS:] if len(labels) > MAX_WALK_LABELS else labels[1:]
    while labels:
        yield ".".join(labels)
        labels = labels[1:]


async def records_at(domain: str, client: DnsClient) -> Found:
    """The DMARC record at ``_dmarc.<domain>``; several records count as none (RFC 9989)."""
    texts = tuple(
        t
        for t in (await client.query(f"_dmarc.{domain}", "TXT")).txt_strings()
        if is_dmarc_record(t)
    )
    if len(texts) != 1:
        problem = f"{len(texts)} DMARC records" if texts else ""
        return Found(domain, texts=texts, problem=problem)
    try:
        return Found(domain, parse_dmarc(texts[0]), texts)
    except DmarcSyntaxError as exc:
        return Found(domain, texts=texts, problem=str(exc))


async def discover(domain: str, client: DnsClient) -> Discovery:
    """Walk up from ``domain``: the first valid record is the policy; the walk goes on until a
    psd= tag (or the top) settles the organizational domain."""
    discovery = Discovery(domain.lower().rstrip("."))
    found_records: list[Found] = []
    for target in walk_targets(discovery.domain):
        discovery.walk.append(target)
        found = await records_at(target, client)
        if target == discovery.domain:
            discovery.at_author = found
        if found.record is None:
            continue
        found_records.append(found)
        discovery.policy = discovery.policy or found
        psd = found.record.psd
        if psd == "n":
            discovery.organizational_domain = target
            return discovery
        if psd == "y":
            # The record belongs to a public suffix operator: the organization is one label below.
            discovery.organizational_domain = _one_label_below(discovery.domain, target)
            return discovery
    discovery.organizational_domain = (
        min(found_records, key=lambda f: f.domain.count(".")).domain
        if found_records
        else discovery.domain
    )
    return discovery


def _one_label_below(author: str, psd_domain: str) -> str:
    """The name one label longer than ``psd_domain`` on the way down to ``author``."""
    labels = author.split(".")
    return ".".join(labels[-(psd_domain.count(".") + 2) :]) if author != psd_domain else author


def psl_organizational_domain(
    domain: str, suffixes: frozenset[str] = COMMON_PUBLIC_SUFFIXES
) -> str:
    """RFC 7489 §3.2: the public suffix plus one label."""
    labels = domain.lower().rstrip(".").split(".")
    for size in range(len(labels) - 1, 0, -1):
        if ".".join(labels[-size:]) in suffixes:
            return ".".join(labels[-size - 1 :])
    return ".".join(labels[-2:])


async def rfc7489_policy(
    domain: str, client: DnsClient, suffixes: frozenset[str] = COMMON_PUBLIC_SUFFIXES
) -> Found:
    """RFC 7489 §6.6.3: the domain's own record, else the organizational domain's."""
    found = await records_at(domain, client)
    org = psl_organizational_domain(domain, suffixes)
    if found.record is None and not found.texts and org != domain:
        found = await records_at(org, client)
    return found


async def aligned(author: str, identifier: str, mode: str, client: DnsClient) -> bool:
    """DMARC identifier alignment: strict is equality, relaxed compares organizational domains."""
    author, identifier = author.lower().rstrip("."), identifier.lower().rstrip(".")
    if author == identifier or mode == "s":
        return author == identifier
    first = await discover(author, client)
    second = await discover(identifier, client)
    return first.organizational_domain == second.organizational_domain
