"""SPF flattening: a record over (or near) the lookup limit gets a corrected one to publish."""

from __future__ import annotations

import asyncio

from outreach.deliverability.resolver import DnsClient
from outreach.deliverability.spf import check_host
from outreach.deliverability.spf_lint import SpfCheck, check_spf

from .dns_server import LoopbackDns, Zone

DOMAIN = "example.com"


def lint(server: LoopbackDns, zone: Zone) -> SpfCheck:
    server.load(zone)
    return asyncio.run(check_spf(DOMAIN, DnsClient(server.config())))


def lookup_finding(check: SpfCheck):
    (finding,) = [f for f in check.findings if "lookups" in f.code]
    return finding


def google() -> Zone:
    """A big provider whose include nests two more: three lookups in all."""
    return {
        "_spf.google.com": [
            ("TXT", "v=spf1 include:_netblocks.google.com include:_netblocks2.google.com ~all")
        ],
        "_netblocks.google.com": [("TXT", "v=spf1 ip4:172.217.0.0/19 ip4:108.177.8.0/21 ~all")],
        "_netblocks2.google.com": [("TXT", "v=spf1 ip6:2001:4860:4000::/36 ~all")],
    }


def dynamic(count: int) -> Zone:
    """Includes that look up A records: they cannot be flattened to fixed addresses."""
    return {
        f"dyn{n}.example.net": [("TXT", "v=spf1 a -all"), ("A", f"203.0.113.{n}")]
        for n in range(count)
    }


def passes(server: LoopbackDns, ip: str) -> bool:
    return check_host(ip, f"sam@{DOMAIN}", DOMAIN, resolver=server.config()).result == "pass"


def test_too_many_fixed_includes_are_flattened_in_place(dns_server: LoopbackDns) -> None:
    terms = " ".join(f"include:i{n}.example.net" for n in range(11))
    zone: Zone = {
        DOMAIN: [("TXT", f"v=spf1 mx {terms} -all"), ("MX", [10, "mx.example.com"])],
        "mx.example.com": [("A", "192.0.2.1")],
        "i0.example.net": [("TXT", "v=spf1 ip4:198.51.100.0 ip4:198.51.100.1 -all")],
    }
    for n in range(1, 11):
        zone[f"i{n}.example.net"] = [("TXT", f"v=spf1 ip4:198.51.100.{n} -all")]
    finding = lookup_finding(lint(dns_server, zone))
    assert finding.code == "spf.too_many_lookups"
    assert "must be refreshed" in finding.message and "needs 7 lookups" in finding.message
    # Five includes flattened (12 lookups down to 7), each where the include stood.
    assert finding.fix.value == (
        "v=spf1 mx ip4:198.51.100.0/31 ip4:198.51.100.1 ip4:198.51.100.2 ip4:198.51.100.3 "
        "ip4:198.51.100.4 include:i5.example.net include:i6.example.net include:i7.example.net "
        "include:i8.example.net include:i9.example.net include:i10.example.net -all"
    )

    zone[DOMAIN][0] = ("TXT", finding.fix.value)
    check = lint(dns_server, zone)
    assert not [f for f in check.findings if "lookups" in f.code]
    for ip in ("192.0.2.1", *(f"198.51.100.{n}" for n in range(11))):
        assert passes(dns_server, ip), ip  # the flattened record authorizes the same hosts
    assert not passes(dns_server, "198.51.100.99")


def test_a_big_providers_include_is_kept_when_the_rest_is_enough(dns_server: LoopbackDns) -> None:
    record = (
        "v=spf1 include:_spf.google.com include:crm.example.net include:dyn0.example.net "
        "include:dyn1.example.net include:dyn2.example.net mx -all"
    )
    zone: Zone = {
        DOMAIN: [("TXT", record), ("MX", [10, "mx.example.com"])],
        "mx.example.com": [("A", "192.0.2.1")],
        "crm.example.net": [("TXT", "v=spf1 ip4:198.51.100.7 -all")],
        **google(),
        **dynamic(3),
    }
    finding = lookup_finding(lint(dns_server, zone))
    assert finding.code == "spf.too_many_lookups" and "11 DNS lookups" in finding.message
    assert finding.fix.value == record.replace("include:crm.example.net", "ip4:198.51.100.7")
    assert "needs 10 lookups" in finding.message


def test_a_big_providers_include_is_flattened_when_it_must_be(dns_server: LoopbackDns) -> None:
    record = (
        "v=spf1 include:_spf.google.com include:crm.example.net include:dyn0.example.net "
        "include:dyn1.example.net include:dyn2.example.net include:dyn3.example.net -all"
    )
    zone: Zone = {
        DOMAIN: [("TXT", record)],
        "crm.example.net": [("TXT", "v=spf1 ip4:198.51.100.7 -all")],
        **google(),
        **dynamic(4),
    }
    finding = lookup_finding(lint(dns_server, zone))
    assert "12 DNS lookups" in finding.message
    assert finding.fix.value == (
        "v=spf1 ip4:108.177.8.0/21 ip4:172.217.0.0/19 ip6:2001:4860:4000::/36 "
        "ip4:198.51.100.7 include:dyn0.example.net include:dyn1.example.net "
        "include:dyn2.example.net include:dyn3.example.net -all"
    )
    assert "_spf.google.com" in finding.message and "must be refreshed" in finding.message


def test_near_the_limit_only_small_includes_are_flattened(dns_server: LoopbackDns) -> None:
    record = (
        "v=spf1 include:_spf.google.com include:crm.example.net include:dyn0.example.net "
        "include:dyn1.example.net -all"
    )
    zone: Zone = {
        DOMAIN: [("TXT", record)],
        "crm.example.net": [("TXT", "v=spf1 ip4:198.51.100.7 ip4:198.51.100.7 -all")],
        **google(),
        **dynamic(2),
    }
    finding = lookup_finding(lint(dns_server, zone))
    assert finding.code == "spf.many_lookups" and "8 of the 10" in finding.message
    assert finding.fix.value == record.replace("include:crm.example.net", "ip4:198.51.100.7")


def test_includes_that_are_not_fixed_addresses_get_no_flattened_record(
    dns_server: LoopbackDns,
) -> None:
    zone: Zone = {
        DOMAIN: [
            (
                "TXT",
                "v=spf1 "
                + " ".join(f"include:dyn{n}.example.net" for n in range(4))
                + " include:carve.example.net -all",
            )
        ],
        "carve.example.net": [("TXT", "v=spf1 -ip4:198.51.100.9 ip4:198.51.100.0/24 -all")],
        **dynamic(4),
    }
    finding = lookup_finding(lint(dns_server, zone))
    assert finding.code == "spf.many_lookups"
    assert finding.fix is None and "refreshed" not in finding.message
