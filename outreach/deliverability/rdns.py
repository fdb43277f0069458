"""Forward-confirmed reverse DNS (FCrDNS) of the SMTP hosts a domain sends through.

Big receivers (Gmail, Outlook) require the sending IP's PTR name to resolve back to that IP.
"""

from __future__ import annotations

import ipaddress

from .findings import DnsRecord, Finding, dns_unavailable, error, info
from .resolver import DnsClient, DnsUnavailable


async def check_fcrdns(ip: str, client: DnsClient) -> list[Finding]:
    """PTR of ``ip`` must name a host whose A/AAAA records include ``ip``."""
    address = ipaddress.ip_address(ip)
    rdtype = "A" if address.version == 4 else "AAAA"
    try:
        names = (await client.query(address.reverse_pointer, "PTR")).records
        if not names:
            return [
                error(
                    "rdns.missing",
                    f"{ip} has no reverse DNS (PTR) name. Ask the owner of the IP "
                    "(your hosting or mail provider) to set one that resolves back to it.",
                )
            ]
        for name in names:
            forward = await client.query(name, rdtype)
            if any(ipaddress.ip_address(a) == address for a in forward.records):
                return [
                    info("rdns.confirmed", f"{ip} reverses to {name}, which resolves back to it.")
                ]
        return [
            error(
                "rdns.not_confirmed",
                f"{ip} reverses to {', '.join(names)}, but that name does not "
                f"resolve back to {ip}. Add an {rdtype} record for it or change the PTR.",
                DnsRecord(names[0], rdtype, ip),
            )
        ]
    except DnsUnavailable as exc:
        return [dns_unavailable("rdns", exc)]
