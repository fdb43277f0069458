"""The checks against a real authoritative server (nsd), not only the dnslib test server.

nsd answers the way production servers do: REFUSED outside its zones, TC over UDP when an
answer outgrows the EDNS buffer, CNAMEs in the answer section, name compression everywhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from outreach.deliverability import Mailbox, check_domains, check_host
from outreach.deliverability.resolver import DnsClient, DnsUnavailable, Lookup, ResolverConfig
from tests.conftest import require_program

from .nsd_server import NSD, Nsd

BIG_TXT = " ".join(f'"{n:02d}{"x" * 250}"' for n in range(20))  # ~5 KB: too big for UDP

ZONES = {
    # The parent, as the real .com: DMARC discovery asks _dmarc.com (RFC 9091), and a server
    # that is not authoritative for a name answers REFUSED, which reads as "DNS failed".
    "com": ["example IN NS ns1.example", "ns1.example IN A 127.0.0.1"],
    "example.com": [
        '@ IN TXT "v=spf1 include:_spf.example.net mx -all"',
        "@ IN MX 10 mx",
        "mx IN A 192.0.2.10",
        "smtp IN CNAME mx",
        '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"',
        f"big IN TXT {BIG_TXT}",
    ],
    "example.net": [
        '_spf IN TXT "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 ~all"',
    ],
}


@pytest.fixture(scope="module")
def nsd() -> Iterator[Nsd]:
    require_program(NSD, "proves the DNS checks work against a real authoritative server")
    with Nsd(ZONES) as server:
        yield server


def config(server: Nsd) -> ResolverConfig:
    return ResolverConfig(nameservers=("127.0.0.1",), port=server.port, timeout=1.0, lifetime=2.0)


def lookup(server: Nsd, name: str, rdtype: str) -> Lookup:
    return asyncio.run(DnsClient(config(server)).query(name, rdtype))


@pytest.mark.parametrize(
    ("ip", "result"),
    [
        ("198.51.100.7", "pass"),  # through the include
        ("2001:db8::25", "pass"),  # the include's ip6 range
        ("192.0.2.10", "pass"),  # the mx term
        ("203.0.113.1", "fail"),
    ],
)
def test_spf_results_come_out_right_through_nsd(nsd: Nsd, ip: str, result: str) -> None:
    outcome = check_host(ip, "sam@example.com", "mx.example.com", resolver=config(nsd))
    assert outcome.result == result, outcome


def test_an_answer_too_big_for_udp_is_fetched_over_tcp(nsd: Nsd) -> None:
    answer = lookup(nsd, "big.example.com", "TXT")
    assert len(answer.records) == 1 and len(answer.records[0]) == 20
    assert answer.txt_strings()[0].startswith("00xxx") and answer.wire_size > 4096


def test_a_cname_is_followed_to_the_address(nsd: Nsd) -> None:
    answer = lookup(nsd, "smtp.example.com", "A")
    assert answer.records == ("192.0.2.10",) and answer.canonical_name == "mx.example.com"


def test_missing_names_are_empty_and_refused_ones_are_unavailable(nsd: Nsd) -> None:
    assert lookup(nsd, "nothing.example.com", "TXT").nxdomain
    assert lookup(nsd, "mx.example.com", "TXT").void  # the name exists, the type does not
    with pytest.raises(DnsUnavailable, match="server failure"):
        lookup(nsd, "example.org", "TXT")  # not one of nsd's zones: it answers REFUSED


def test_the_whole_check_reads_a_healthy_spf_setup(nsd: Nsd) -> None:
    mailboxes = [Mailbox("sam@example.com", smtp_host="mx.example.com")]
    (report,) = check_domains(["example.com"], mailboxes=mailboxes, resolver_config=config(nsd))
    assert report.readiness.spf and report.readiness.dmarc
    assert not [code for code in report.codes() if code.startswith("spf.")]
