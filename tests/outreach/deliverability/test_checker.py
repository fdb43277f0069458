"""check_domains(): every check, many domains, one DNS cache per run."""

from __future__ import annotations

import json
from collections import Counter

from outreach.deliverability import Mailbox, check_domains

from .dns_server import LoopbackDns, Zone, zone_from_pairs

DKIM_KEY = (
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5Ru5WVhkPiBuE+mOf29uqontUfoQpc"
    "WX04sA/V6dRmZ0I2kRHOSKYXLW84sqPiWyfKH4WaP7f0p6RvENyIqFjCYWDPxSX5Ck/rj0jUzQ6FKloUb9M/0hhdUy2xa7przy"
    "7wudLu7WpgxyMLogPZfWMV369vvPefyvuXF8B3rCuy5qSNyvnDf0Dn4/blILfyw5df4JWJIj0FfXxc3LMMLQM+Nn8q71iJmH"
    "5qXuB78GWUjT7erEXnrXdWKZimM9l6fMSOb6EBm0AwNVR+mOGwt05LPrSHFrwKJSNRB5gBOzXfmjdUpghIq+wLF1trz+oJt5"
    "CcZs45GPjiuyUomI+HgFpQIDAQAB"
)


def healthy(domain: str) -> list[tuple[str, str, object]]:
    return [
        (domain, "TXT", "v=spf1 include:_spf.esp.example -all"),
        (domain, "MX", [10, "mx.esp.example"]),
        (f"s1._domainkey.{domain}", "TXT", DKIM_KEY),
        (f"_dmarc.{domain}", "TXT", f"v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}"),
    ]


def esp() -> list[tuple[str, str, object]]:
    return [
        ("_spf.esp.example", "TXT", "v=spf1 ip4:192.0.2.0/24 -all"),
        ("mx.esp.example", "A", "192.0.2.200"),
        ("smtp.esp.example", "A", "192.0.2.25"),
        ("25.2.0.192.in-addr.arpa", "PTR", "smtp.esp.example"),
    ]


def zone(*domains: str) -> Zone:
    pairs = [*esp()]
    for domain in domains:
        pairs.extend(healthy(domain))
    return zone_from_pairs(pairs)


def test_a_healthy_domain_is_ready(dns_server: LoopbackDns) -> None:
    dns_server.load(zone("alpha.example"))
    mailboxes = [Mailbox("sam@alpha.example", smtp_host="smtp.esp.example")]
    (report,) = check_domains(
        ["alpha.example"], mailboxes=mailboxes, resolver_config=dns_server.config()
    )
    assert report.errors == [] and not report.incomplete
    assert report.readiness.ready
    assert report.smtp_ips == ["192.0.2.25"]
    assert "rdns.confirmed" in report.codes()
    json.dumps(report.to_dict())  # the report is stored as JSON


def test_many_domains_share_one_cache(dns_server: LoopbackDns) -> None:
    domains = [f"d{n}.example" for n in range(12)]
    dns_server.load(zone(*domains))
    mailboxes = [Mailbox(f"sam@{d}", smtp_host="smtp.esp.example") for d in domains]
    reports = check_domains(domains, mailboxes=mailboxes, resolver_config=dns_server.config())
    assert [r.domain for r in reports] == domains
    assert all(r.readiness.ready for r in reports)
    repeated = {q: n for q, n in Counter(dns_server.queries).items() if n > 1}
    assert repeated == {}  # each (name, type) asked once per run
    assert dns_server.queries.count(("_spf.esp.example", "TXT")) == 1


def test_a_broken_domain_is_not_ready_and_says_why(dns_server: LoopbackDns) -> None:
    dns_server.load(zone_from_pairs([*esp(), ("beta.example", "MX", [0, "."])]))
    (report,) = check_domains(
        ["beta.example"], resolver_config=dns_server.config(), selectors=["s1"]
    )
    assert not report.readiness.ready
    for code in ("spf.missing", "dkim.missing", "dmarc.missing", "mx.null"):
        assert code in report.codes()
    assert report.summary()["error"] == 4


def test_servfail_gives_an_incomplete_report_not_missing_records(dns_server: LoopbackDns) -> None:
    dns_server.load(
        {"gamma.example": [("SERVFAIL", None)], "_dmarc.gamma.example": [("SERVFAIL", None)]}
    )
    (report,) = check_domains(
        ["gamma.example"], resolver_config=dns_server.config(), selectors=["s1"]
    )
    assert report.incomplete
    assert "spf.dns_unavailable" in report.codes() and "dmarc.dns_unavailable" in report.codes()
    assert "spf.missing" not in report.codes() and "dmarc.missing" not in report.codes()


def test_a_from_domain_that_does_not_align_is_not_ready(dns_server: LoopbackDns) -> None:
    dns_server.load(zone("alpha.example"))
    mailboxes = [
        Mailbox("sam@other.example", smtp_ips=("192.0.2.25",), sending_domain="alpha.example")
    ]
    (report,) = check_domains(
        ["alpha.example"], mailboxes=mailboxes, resolver_config=dns_server.config()
    )
    assert not report.readiness.aligned and "dmarc.not_aligned" in report.codes()


def test_an_smtp_host_dns_cannot_resolve_keeps_spf_readiness_unknown(
    dns_server: LoopbackDns,
) -> None:
    dns_server.load(zone("alpha.example"))
    dns_server.resolver.zone["smtp.flaky.example"] = [("SERVFAIL", None)]
    mailboxes = [
        Mailbox("sam@alpha.example", smtp_host="smtp.esp.example"),
        Mailbox("kim@alpha.example", smtp_host="smtp.flaky.example"),
    ]
    (report,) = check_domains(
        ["alpha.example"], mailboxes=mailboxes, resolver_config=dns_server.config()
    )
    (finding,) = [f for f in report.findings if f.code == "spf.dns_unavailable"]
    assert finding.retryable and "smtp.flaky.example" in finding.message
    assert report.incomplete and not report.readiness.spf
    assert report.smtp_ips == ["192.0.2.25"]  # the host that answered is still checked
    assert "rdns.confirmed" in report.codes()


def test_an_smtp_host_that_times_out_is_reported_once(dns_server: LoopbackDns) -> None:
    dns_server.load(zone("alpha.example"))
    dns_server.resolver.zone["smtp.slow.example"] = [("TIMEOUT", None)]
    mailboxes = [Mailbox(f"{who}@alpha.example", smtp_host="smtp.slow.example") for who in "ab"]
    (report,) = check_domains(
        ["alpha.example"], mailboxes=mailboxes, resolver_config=dns_server.config(timeout=0.3)
    )
    assert report.codes().count("spf.dns_unavailable") == 1
    assert not report.readiness.ready and report.incomplete


def test_an_smtp_host_without_addresses_is_an_error(dns_server: LoopbackDns) -> None:
    dns_server.load(zone("alpha.example"))
    mailboxes = [Mailbox("sam@alpha.example", smtp_host="smtp.gone.example")]
    (report,) = check_domains(
        ["alpha.example"], mailboxes=mailboxes, resolver_config=dns_server.config()
    )
    assert "spf.smtp_host_unknown" in [f.code for f in report.errors]
    assert not report.readiness.spf


def test_a_record_that_ends_in_permerror_is_not_ready(dns_server: LoopbackDns) -> None:
    broken = {
        "syntax.example": "v=spf1 ip4:192.0.2.300 -all",
        "dead.example": "v=spf1 include:gone.esp.example -all",
    }
    pairs = [*esp()]
    for domain, record in broken.items():
        pairs.extend(p for p in healthy(domain) if p[1] != "TXT" or p[0] != domain)
        pairs.append((domain, "TXT", record))
    dns_server.load(zone_from_pairs(pairs))
    reports = check_domains(list(broken), resolver_config=dns_server.config(), selectors=["s1"])
    assert [r.readiness.spf for r in reports] == [False, False]
    assert "spf.syntax_error" in reports[0].codes()
    assert "spf.broken_include" in reports[1].codes()
