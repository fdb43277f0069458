"""Informational records: MTA-STS (RFC 8461), TLS-RPT (RFC 8460) and BIMI.

None of them is required to send cold email, so findings here are info or warnings at most.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from .findings import DnsRecord, Finding, dns_unavailable, info, warning
from .resolver import DnsClient, DnsUnavailable
from .tag_list import TagListError, parse_tags

# Fetches https://mta-sts.<domain>/.well-known/mta-sts.txt; returns the policy text or None.
PolicyFetcher = Callable[[str], "Awaitable[str | None] | str | None"]


async def _single(client: DnsClient, name: str, version: str) -> list[str]:
    texts = (await client.query(name, "TXT")).txt_strings()
    return [t for t in texts if t.replace(" ", "").lower().startswith(f"v={version.lower()}")]


def _tags_or_none(text: str) -> dict[str, str] | None:
    try:
        return parse_tags(text)
    except TagListError:
        return None


async def check_mta_sts(
    domain: str, client: DnsClient, fetch: PolicyFetcher | None = None
) -> list[Finding]:
    name = f"_mta-sts.{domain}"
    records = await _single(client, name, "STSv1")
    if not records:
        return [
            info(
                "mta_sts.missing",
                f"{domain} has no MTA-STS policy (optional: it protects mail sent to you).",
            )
        ]
    tags = _tags_or_none(records[0])
    if len(records) > 1 or tags is None or not tags.get("id"):
        return [warning("mta_sts.malformed", f"{name} must hold one record with an id= tag.")]
    if fetch is None:
        return [
            info(
                "mta_sts.policy_not_fetched",
                f"MTA-STS record found (id={tags['id']}); the HTTPS policy was not fetched.",
            )
        ]
    policy = fetch(domain)
    if inspect.isawaitable(policy):
        policy = await policy
    if not policy or "version: STSv1" not in policy:
        return [
            warning(
                "mta_sts.policy_unavailable",
                f"https://mta-sts.{domain}/.well-known/mta-sts.txt did not return an STSv1 policy.",
            )
        ]
    return [info("mta_sts.found", f"MTA-STS policy published (id={tags['id']}).")]


async def check_tls_rpt(domain: str, client: DnsClient) -> list[Finding]:
    name = f"_smtp._tls.{domain}"
    records = await _single(client, name, "TLSRPTv1")
    if not records:
        return [
            info(
                "tls_rpt.missing",
                f"{domain} has no TLS-RPT record (optional: reports TLS problems delivering "
                "to you).",
                DnsRecord(name, "TXT", f"v=TLSRPTv1; rua=mailto:tls-reports@{domain}"),
            )
        ]
    tags = _tags_or_none(records[0])
    if len(records) > 1 or tags is None or not tags.get("rua"):
        return [warning("tls_rpt.malformed", f"{name} must hold one record with a rua= tag.")]
    return [info("tls_rpt.found", f"TLS-RPT reports go to {tags['rua']}.")]


async def check_bimi(domain: str, client: DnsClient) -> list[Finding]:
    name = f"default._bimi.{domain}"
    records = await _single(client, name, "BIMI1")
    if not records:
        return [
            info(
                "bimi.missing",
                f"{domain} has no BIMI record (optional: shows your logo; needs DMARC "
                "enforcement).",
            )
        ]
    tags = _tags_or_none(records[0])
    if len(records) > 1 or tags is None or not tags.get("l", "").startswith("https://"):
        return [
            warning(
                "bimi.malformed",
                f"{name} must hold one record whose l= is an https:// SVG logo URL.",
            )
        ]
    return [info("bimi.found", f"BIMI logo: {tags['l']}.")]


async def check_policy_records(
    domain: str, client: DnsClient, fetch: PolicyFetcher | None = None
) -> list[Finding]:
    """All three informational checks; a DNS failure here is still "could not check"."""
    found: list[Finding] = []
    for check, code in (
        (lambda: check_mta_sts(domain, client, fetch), "mta_sts"),
        (lambda: check_tls_rpt(domain, client), "tls_rpt"),
        (lambda: check_bimi(domain, client), "bimi"),
    ):
        try:
            found.extend(await check())
        except DnsUnavailable as exc:
            found.append(dns_unavailable(code, exc))
    return found
