"""Optional DNS blocklist (DNSBL, RFC 5782) lookups for SMTP host IPs and sending domains.

Off unless zones are configured: the big lists refuse queries that arrive through public
resolvers and have usage terms, so the operator chooses them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from .findings import Finding, dns_unavailable, error, info, warning
from .resolver import DnsClient, DnsUnavailable


@dataclass(frozen=True)
class Blocklist:
    zone: str
    kind: str = "ip"  # "ip": reversed IPv4 address queries; "domain": domain name queries

    @property
    def test_entry(self) -> str:
        """RFC 5782 §5: every list must list 127.0.0.2 (IP lists) or TEST (domain lists)."""
        return "test" if self.kind == "domain" else "2.0.0.127"


def _is_refusal(answer: str) -> bool:
    # Spamhaus answers 127.255.255.x when it refuses the query (public resolver, over quota,
    # bad query): the IP is not listed, we just cannot know.
    return answer.startswith("127.255.255.")


def _is_listing(answer: str) -> bool:
    return answer.startswith("127.") and not _is_refusal(answer)


async def _verified(blocklist: Blocklist, client: DnsClient) -> bool:
    lookup = await client.query(f"{blocklist.test_entry}.{blocklist.zone}", "A")
    return any(_is_listing(a) for a in lookup.records)


def _key(blocklist: Blocklist, subject: str) -> str | None:
    if blocklist.kind == "domain":
        return subject
    address = ipaddress.ip_address(subject)
    if address.version != 4:
        return None  # IPv6 DNSBLs use nibble names and are rare; skip rather than guess
    return ".".join(reversed(subject.split(".")))


async def check_blocklists(
    blocklists: Sequence[Blocklist],
    client: DnsClient,
    *,
    ips: Sequence[str] = (),
    domains: Sequence[str] = (),
) -> list[Finding]:
    """Look the IPs up in IP lists and the domains in domain lists, skipping any list that
    does not answer its own test entry."""
    found: list[Finding] = []
    for blocklist in blocklists:
        try:
            if not await _verified(blocklist, client):
                found.append(
                    warning(
                        "blocklist.unverified",
                        f"{blocklist.zone} did not list its own test entry "
                        f"({blocklist.test_entry}); its answers cannot be trusted, so it was "
                        "skipped.",
                    )
                )
                continue
            for subject in domains if blocklist.kind == "domain" else ips:
                found.extend(await _lookup(blocklist, subject, _key(blocklist, subject), client))
        except DnsUnavailable as exc:
            found.append(dns_unavailable("blocklist", exc))
    return found


async def _lookup(
    blocklist: Blocklist, subject: str, key: str | None, client: DnsClient
) -> list[Finding]:
    if key is None:
        return []
    answers = (await client.query(f"{key}.{blocklist.zone}", "A")).records
    if any(_is_listing(a) for a in answers):
        reason = (await client.query(f"{key}.{blocklist.zone}", "TXT")).txt_strings()
        return [
            error(
                "blocklist.listed",
                f"{subject} is listed on {blocklist.zone}"
                + (f": {reason[0]}" if reason else ".")
                + " Follow the list's delisting procedure.",
            )
        ]
    if any(_is_refusal(a) for a in answers):
        return [
            info(
                "blocklist.refused",
                f"{blocklist.zone} refused to answer for {subject} "
                f"({', '.join(answers)}); use a resolver the list accepts.",
            )
        ]
    return []
