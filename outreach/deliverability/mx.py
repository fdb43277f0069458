"""MX records: can the domain receive replies and bounces?"""

from __future__ import annotations

import ipaddress

from .findings import DnsRecord, Finding, dns_unavailable, error, info, warning
from .resolver import DnsClient, DnsUnavailable


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


async def check_mx(domain: str, client: DnsClient) -> list[Finding]:
    """A sending domain needs working MX: replies, bounces and DMARC reports come back there."""
    try:
        lookup = await client.query(domain, "MX")
        if not lookup.records:
            return [
                warning(
                    "mx.missing",
                    f"{domain} has no MX record: replies and bounces may not reach you.",
                    DnsRecord(domain, "MX", "10 mail.your-provider.example."),
                )
            ]
        hosts = sorted(lookup.records)
        if any(host == "." for _preference, host in hosts):
            return [
                error(
                    "mx.null",
                    f"{domain} publishes a null MX (RFC 7505): it accepts no mail, so "
                    "receivers reject mail sent from it. Replace it with your provider's MX.",
                    DnsRecord(domain, "MX", "10 mail.your-provider.example."),
                )
            ]
        found = []
        for _preference, host in hosts:
            if _is_ip_literal(host):
                found.append(
                    warning(
                        "mx.ip_literal",
                        f"MX target {host} is an IP address; it must be a host name.",
                    )
                )
                continue
            target = await client.query(host, "CNAME")
            if target.records:
                found.append(
                    warning(
                        "mx.cname_target",
                        f"MX target {host} is a CNAME (to {target.records[0]}); "
                        "RFC 5321 requires the canonical name.",
                        DnsRecord(domain, "MX", f"{_preference} {target.records[0]}."),
                    )
                )
        names = ", ".join(host for _preference, host in hosts)
        found.append(info("mx.found", f"Mail for {domain} goes to {names}."))
        return found
    except DnsUnavailable as exc:
        return [dns_unavailable("mx", exc)]
