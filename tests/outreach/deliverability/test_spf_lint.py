"""SPF lint: each finding names the problem and carries the record to publish."""

from __future__ import annotations

import asyncio

import pytest

from outreach.deliverability.resolver import DnsClient
from outreach.deliverability.spf_lint import SpfCheck, check_spf, rewrite

from .dns_server import LoopbackDns, Zone, zone_from_pairs

DOMAIN = "example.com"


def lint(server: LoopbackDns, zone: Zone, smtp_ips: tuple[str, ...] = ()) -> SpfCheck:
    server.load(zone)
    return asyncio.run(check_spf(DOMAIN, DnsClient(server.config()), smtp_ips=smtp_ips))


def spf_zone(record: str | list[str], *extra: tuple[str, str, object]) -> Zone:
    return zone_from_pairs([(DOMAIN, "TXT", record), *extra])


def only(check: SpfCheck, code: str):
    (finding,) = [f for f in check.findings if f.code == code]
    return finding


def test_missing_record_suggests_one_for_the_smtp_hosts(dns_server: LoopbackDns) -> None:
    finding = only(lint(dns_server, {}, ("192.0.2.10",)), "spf.missing")
    assert finding.severity == "error"
    assert (finding.fix.name, finding.fix.type, finding.fix.value) == (
        DOMAIN,
        "TXT",
        "v=spf1 ip4:192.0.2.10 ~all",
    )


def test_several_records_are_merged_into_one(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [(DOMAIN, "TXT", "v=spf1 mx -all"), (DOMAIN, "TXT", "v=spf1 ip4:192.0.2.1 -all")]
    )
    finding = only(lint(dns_server, zone), "spf.multiple_records")
    assert finding.fix.value == "v=spf1 mx ip4:192.0.2.1 -all"


def test_syntax_error_keeps_the_terms_that_parse(dns_server: LoopbackDns) -> None:
    finding = only(lint(dns_server, spf_zone("v=spf1 ip4:192.0.2.300 mx -all")), "spf.syntax_error")
    assert finding.fix.value == "v=spf1 mx -all"


@pytest.mark.parametrize("record", ["v=spf1 mx +all", "v=spf1 mx all"])
def test_plus_all_is_an_error(dns_server: LoopbackDns, record: str) -> None:
    finding = only(
        lint(dns_server, spf_zone(record, (DOMAIN, "MX", [10, "mx.example.com"]))), "spf.plus_all"
    )
    assert finding.severity == "error" and finding.fix.value == "v=spf1 mx ~all"


@pytest.mark.parametrize("record", ["v=spf1 ip4:192.0.2.1 ?all", "v=spf1 ip4:192.0.2.1"])
def test_neutral_or_missing_all_is_a_warning(dns_server: LoopbackDns, record: str) -> None:
    finding = only(lint(dns_server, spf_zone(record)), "spf.neutral_all")
    assert finding.fix.value == "v=spf1 ip4:192.0.2.1 ~all"


def test_ptr_is_flagged(dns_server: LoopbackDns) -> None:
    finding = only(lint(dns_server, spf_zone("v=spf1 ptr ip4:192.0.2.1 -all")), "spf.ptr")
    assert finding.fix.value == "v=spf1 ip4:192.0.2.1 -all"


def includes(count: int) -> Zone:
    terms = " ".join(f"include:i{n}.example.net" for n in range(count))
    return spf_zone(
        f"v=spf1 {terms} -all",
        *((f"i{n}.example.net", "TXT", f"v=spf1 ip4:198.51.100.{n} -all") for n in range(count)),
    )


def test_lookup_count_warns_from_eight(dns_server: LoopbackDns) -> None:
    assert only(lint(dns_server, includes(8)), "spf.many_lookups").severity == "warning"
    assert not [f for f in lint(dns_server, includes(7)).findings if "lookups" in f.code]


def test_lookup_count_is_recursive_and_an_error_above_ten(dns_server: LoopbackDns) -> None:
    zone = includes(6)
    zone["i0.example.net"] = [("TXT", "v=spf1 a mx include:deep.example.net -all")]
    zone["deep.example.net"] = [("TXT", "v=spf1 exists:x.example.net redirect=end.example.net")]
    zone["end.example.net"] = [("TXT", "v=spf1 -all")]
    finding = only(lint(dns_server, zone), "spf.too_many_lookups")
    assert finding.severity == "error" and "11 DNS lookups" in finding.message


def test_void_lookups_are_flagged_with_a_record_without_them(dns_server: LoopbackDns) -> None:
    zone = spf_zone("v=spf1 a:gone.example.com mx:gone2.example.com ip4:192.0.2.1 -all")
    finding = only(lint(dns_server, zone), "spf.void_lookups")
    assert finding.severity == "warning"
    assert finding.fix.value == "v=spf1 ip4:192.0.2.1 -all"


def test_long_record_must_be_split_into_strings(dns_server: LoopbackDns) -> None:
    record = "v=spf1 " + " ".join(f"ip4:198.51.100.{n}" for n in range(20)) + " -all"
    check = lint(dns_server, spf_zone([record[:200], record[200:]]))
    assert check.record == record
    assert '" "' in only(check, "spf.long_string").message


def test_large_answer_is_flagged(dns_server: LoopbackDns) -> None:
    zone = spf_zone("v=spf1 ip4:192.0.2.1 -all", *((DOMAIN, "TXT", str(n) * 200) for n in range(3)))
    assert only(lint(dns_server, zone), "spf.answer_too_large").severity == "warning"


def test_smtp_host_that_does_not_pass_gets_added(dns_server: LoopbackDns) -> None:
    check = lint(dns_server, spf_zone("v=spf1 ip4:192.0.2.1 -all"), ("192.0.2.1", "203.0.113.7"))
    finding = only(check, "spf.not_authorized")
    assert "203.0.113.7 (fail)" in finding.message
    assert finding.fix.value == "v=spf1 ip4:192.0.2.1 ip4:203.0.113.7 -all"
    assert not check.authorizes_mailboxes


def test_passing_smtp_hosts_authorize_the_mailboxes(dns_server: LoopbackDns) -> None:
    check = lint(dns_server, spf_zone("v=spf1 ip4:192.0.2.0/24 -all"), ("192.0.2.1",))
    assert check.authorizes_mailboxes and check.findings == []


def test_servfail_is_could_not_check_not_missing(dns_server: LoopbackDns) -> None:
    finding = only(lint(dns_server, {DOMAIN: [("SERVFAIL", None)]}), "spf.dns_unavailable")
    assert finding.retryable and finding.severity == "error"


def test_rewrite_drops_redirect_when_all_is_added() -> None:
    assert rewrite("v=spf1 mx redirect=_spf.example.net", all_term="~all") == "v=spf1 mx ~all"
