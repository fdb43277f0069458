"""MX, forward-confirmed reverse DNS, blocklists, policy records, and DNS failure handling."""

from __future__ import annotations

import asyncio
import time

from outreach.deliverability.blocklists import Blocklist, check_blocklists
from outreach.deliverability.mx import check_mx
from outreach.deliverability.policy_records import check_policy_records
from outreach.deliverability.rdns import check_fcrdns
from outreach.deliverability.resolver import DnsClient

from .dns_server import LoopbackDns, Zone, zone_from_pairs


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def run_mx(server: LoopbackDns, zone: Zone) -> list:
    server.load(zone)
    return asyncio.run(check_mx("example.com", DnsClient(server.config())))


def test_null_mx_is_an_error(dns_server: LoopbackDns) -> None:
    findings = run_mx(dns_server, zone_from_pairs([("example.com", "MX", [0, "."])]))
    assert codes(findings) == ["mx.null"] and findings[0].severity == "error"


def test_no_mx_is_a_warning(dns_server: LoopbackDns) -> None:
    findings = run_mx(dns_server, zone_from_pairs([("example.com", "A", "192.0.2.1")]))
    assert codes(findings) == ["mx.missing"] and findings[0].severity == "warning"


def test_mx_target_that_is_a_cname_is_a_warning(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [
            ("example.com", "MX", [10, "mail.example.com"]),
            ("mail.example.com", "CNAME", "mx.provider.example"),
            ("mx.provider.example", "A", "192.0.2.5"),
        ]
    )
    (cname,) = [f for f in run_mx(dns_server, zone) if f.code == "mx.cname_target"]
    assert cname.fix is not None and cname.fix.value == "10 mx.provider.example."


def test_mx_target_that_is_an_ip_literal_is_a_warning(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs([("example.com", "MX", [10, "192.0.2.5"])])
    assert "mx.ip_literal" in codes(run_mx(dns_server, zone))


def run_fcrdns(server: LoopbackDns, zone: Zone, ip: str = "192.0.2.25") -> list:
    server.load(zone)
    return asyncio.run(check_fcrdns(ip, DnsClient(server.config())))


def test_fcrdns_passes_when_the_ptr_name_resolves_back(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [
            ("25.2.0.192.in-addr.arpa", "PTR", "smtp.example.com"),
            ("smtp.example.com", "A", "192.0.2.25"),
        ]
    )
    assert codes(run_fcrdns(dns_server, zone)) == ["rdns.confirmed"]


def test_fcrdns_fails_when_the_name_points_elsewhere(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [
            ("25.2.0.192.in-addr.arpa", "PTR", "smtp.example.com"),
            ("smtp.example.com", "A", "192.0.2.99"),
        ]
    )
    (finding,) = run_fcrdns(dns_server, zone)
    assert finding.code == "rdns.not_confirmed"
    assert finding.fix is not None and (finding.fix.name, finding.fix.value) == (
        "smtp.example.com",
        "192.0.2.25",
    )


def test_fcrdns_without_ptr_is_an_error(dns_server: LoopbackDns) -> None:
    assert codes(run_fcrdns(dns_server, {})) == ["rdns.missing"]


def test_fcrdns_for_ipv6(dns_server: LoopbackDns) -> None:
    import ipaddress

    ip = "2001:db8::25"
    zone = zone_from_pairs(
        [
            (ipaddress.ip_address(ip).reverse_pointer, "PTR", "smtp6.example.com"),
            ("smtp6.example.com", "AAAA", ip),
        ]
    )
    assert codes(run_fcrdns(dns_server, zone, ip)) == ["rdns.confirmed"]


def run_blocklists(server: LoopbackDns, zone: Zone, *lists: Blocklist) -> list:
    server.load(zone)
    client = DnsClient(server.config())
    return asyncio.run(check_blocklists(lists, client, ips=["192.0.2.25"], domains=["example.com"]))


def test_listed_ip_is_an_error(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [
            ("2.0.0.127.bl.example", "A", "127.0.0.2"),
            ("25.2.0.192.bl.example", "A", "127.0.0.2"),
            ("25.2.0.192.bl.example", "TXT", "Listed for spam, see https://bl.example/25"),
        ]
    )
    (finding,) = run_blocklists(dns_server, zone, Blocklist("bl.example"))
    assert finding.code == "blocklist.listed" and "Listed for spam" in finding.message


def test_spamhaus_refusal_is_not_a_listing(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [
            ("2.0.0.127.zen.example", "A", "127.0.0.2"),
            ("25.2.0.192.zen.example", "A", "127.255.255.254"),
        ]
    )
    (finding,) = run_blocklists(dns_server, zone, Blocklist("zen.example"))
    assert finding.code == "blocklist.refused" and finding.severity == "info"


def test_a_list_that_fails_its_test_entry_is_skipped(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs([("25.2.0.192.dead.example", "A", "127.0.0.2")])
    findings = run_blocklists(dns_server, zone, Blocklist("dead.example"))
    assert codes(findings) == ["blocklist.unverified"]
    assert ("25.2.0.192.dead.example", "A") not in dns_server.queries


def test_domain_lists_are_asked_about_the_domain(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [("test.dbl.example", "A", "127.0.1.2"), ("example.com.dbl.example", "A", "127.0.1.2")]
    )
    assert codes(run_blocklists(dns_server, zone, Blocklist("dbl.example", kind="domain"))) == [
        "blocklist.listed"
    ]


def test_policy_records_are_informational(dns_server: LoopbackDns) -> None:
    dns_server.load(
        zone_from_pairs(
            [
                ("_mta-sts.example.com", "TXT", "v=STSv1; id=20240101"),
                ("_smtp._tls.example.com", "TXT", "v=TLSRPTv1; rua=mailto:tls@example.com"),
            ]
        )
    )
    fetched: list[str] = []

    def fetch(domain: str) -> str:
        fetched.append(domain)
        return "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n"

    findings = asyncio.run(
        check_policy_records("example.com", DnsClient(dns_server.config()), fetch)
    )
    assert codes(findings) == ["mta_sts.found", "tls_rpt.found", "bimi.missing"]
    assert fetched == ["example.com"]
    assert all(f.severity == "info" for f in findings)


def test_mta_sts_policy_is_not_fetched_by_default(dns_server: LoopbackDns) -> None:
    dns_server.load(zone_from_pairs([("_mta-sts.example.com", "TXT", "v=STSv1; id=1")]))
    findings = asyncio.run(check_policy_records("example.com", DnsClient(dns_server.config())))
    assert "mta_sts.policy_not_fetched" in codes(findings)


def test_a_silent_server_times_out_into_could_not_check(dns_server: LoopbackDns) -> None:
    dns_server.load({"example.com": [("TIMEOUT", None)]})
    started = time.monotonic()
    findings = asyncio.run(check_mx("example.com", DnsClient(dns_server.config(timeout=0.2))))
    assert codes(findings) == ["mx.dns_unavailable"] and findings[0].retryable
    assert time.monotonic() - started < 1.5


def test_a_failure_is_cached_for_the_run(dns_server: LoopbackDns) -> None:
    dns_server.load({"example.com": [("SERVFAIL", None)]})
    client = DnsClient(dns_server.config())

    async def twice() -> None:
        await check_mx("example.com", client)
        await check_mx("example.com", client)

    asyncio.run(twice())
    assert dns_server.queries == [("example.com", "MX")]
