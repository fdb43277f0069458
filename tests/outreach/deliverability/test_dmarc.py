"""DMARC: record vectors (checkdmarc), the RFC 9989 tree walk (OpenDMARC zone), and the check."""

from __future__ import annotations

import asyncio
import json
import shlex

import pytest

from outreach.deliverability.dmarc import check_dmarc, record_findings
from outreach.deliverability.dmarc_discovery import aligned, discover, rfc7489_policy
from outreach.deliverability.dmarc_record import parse_dmarc
from outreach.deliverability.resolver import DnsClient

from .conftest import CONFORMANCE
from .dns_server import LoopbackDns, Zone, zone_from_pairs

VECTORS = json.loads((CONFORMANCE / "dmarc" / "dmarc-vectors-checkdmarc.json").read_text())
RECORD_ERRORS = {
    "InvalidDMARCReportURI",
    "InvalidDMARCTagValue",
    "DMARCSyntaxError",
    "InvalidDMARCTag",
    "DMARCRecordStartsWithWhitespace",
}
# checkdmarc reports this one as a parse error in its results rather than by raising.
ALSO_INVALID = {"testDMARCCheckDmarcParseError"}


def vector_params(valid: bool) -> list:
    params = []
    for vector in VECTORS:
        invalid = bool(RECORD_ERRORS & set(vector["referenced_names"])) or (
            vector["test"] in ALSO_INVALID
        )
        if invalid == valid:
            continue
        for i, record in enumerate(vector["records"]):
            if record.lower().lstrip().startswith("v"):  # skip prose in the records list
                params.append(pytest.param(record, id=f"{vector['test']}-{i}"))
    return params


@pytest.mark.parametrize("record", vector_params(valid=True))
def test_valid_vectors_parse(record: str) -> None:
    parse_dmarc(record)
    assert not [f for f in record_findings("example.com", record) if f.severity == "error"]


@pytest.mark.parametrize("record", vector_params(valid=False))
def test_invalid_vectors_are_errors(record: str) -> None:
    findings = record_findings("example.com", record)
    assert [f.code for f in findings if f.severity == "error"] == ["dmarc.malformed"]
    assert findings[0].fix is not None and findings[0].fix.value.startswith("v=DMARC1; p=none")


def test_removed_tags_are_reported_not_rejected() -> None:
    codes = [f.code for f in record_findings("example.com", "v=DMARC1; p=reject; pct=50; ri=x")]
    assert "dmarc.removed_tag" in codes


def test_np_and_sp_default_to_the_policy_above() -> None:
    assert parse_dmarc("v=DMARC1; p=reject").np == "reject"
    assert parse_dmarc("v=DMARC1; p=reject; sp=quarantine").np == "quarantine"
    assert parse_dmarc("v=DMARC1; p=reject").psd == "u"


def load_zone_file(text: str, origin: str) -> Zone:
    """Enough of BIND's zone syntax for the OpenDMARC fixture: $ORIGIN, @, TXT/A/MX."""
    pairs: list[tuple[str, str, object]] = []
    current = origin
    for line in text.splitlines():
        lexer = shlex.shlex(line, posix=True)
        lexer.commenters, lexer.whitespace_split = ";", True  # ";" inside quotes stays text
        fields = list(lexer)
        if not fields:
            continue
        if fields[0] == "$ORIGIN":
            current = fields[1] if fields[1].endswith(".") else f"{fields[1]}.{current}"
            continue
        name = current if fields[0] == "@" else f"{fields[0]}.{current}"
        rtype, value = fields[2], fields[3:]
        if rtype == "MX":
            pairs.append((name, rtype, [int(value[0]), f"{value[1]}.{current}"]))
        else:
            pairs.append((name, rtype, value[0]))
    return zone_from_pairs(pairs)


Z = "dmarcwalk.test.example"


@pytest.fixture
def walk_zone(dns_server: LoopbackDns) -> LoopbackDns:
    text = (CONFORMANCE / "dmarc" / "rfc9989-treewalk-fixture.zone").read_text()
    dns_server.load(load_zone_file(text, "test.example"))
    return dns_server


def run(coro_factory):
    return asyncio.run(coro_factory())


@pytest.mark.parametrize(
    ("query", "policy_domain", "org_domain"),
    [
        (f"direct.{Z}", f"direct.{Z}", f"direct.{Z}"),
        (f"sub.psdn.{Z}", f"psdn.{Z}", f"psdn.{Z}"),
        (f"sub.nopsd.{Z}", f"nopsd.{Z}", f"nopsd.{Z}"),
        (f"leaf.mid.psdy.{Z}", f"psdy.{Z}", f"mid.psdy.{Z}"),
        (
            f"d6.d5.d4.d3.d2.d1.eightlabel.{Z}",
            f"d3.d2.d1.eightlabel.{Z}",
            f"d3.d2.d1.eightlabel.{Z}",
        ),
        (f"multirecord.{Z}", Z, f"multirecord.{Z}"),
    ],
)
def test_rfc9989_tree_walk(
    walk_zone: LoopbackDns, query: str, policy_domain: str, org_domain: str
) -> None:
    async def go():
        return await discover(query, DnsClient(walk_zone.config()))

    discovery = run(go)
    assert discovery.policy is not None
    assert (discovery.policy.domain, discovery.organizational_domain) == (policy_domain, org_domain)


def test_the_eight_label_name_jumps_to_seven_labels(walk_zone: LoopbackDns) -> None:
    run(lambda: discover(f"d6.d5.d4.d3.d2.d1.eightlabel.{Z}", DnsClient(walk_zone.config())))
    dmarc_queries = [name for name, _type in walk_zone.queries]
    assert dmarc_queries == [
        f"_dmarc.d6.d5.d4.d3.d2.d1.eightlabel.{Z}",
        f"_dmarc.d3.d2.d1.eightlabel.{Z}",
    ]


def test_relaxed_alignment_uses_the_organizational_domain(walk_zone: LoopbackDns) -> None:
    client = DnsClient(walk_zone.config())
    assert run(lambda: aligned(f"othersub.nopsd.{Z}", f"sub.nopsd.{Z}", "r", client))
    assert not run(lambda: aligned(f"othersub.nopsd.{Z}", f"sub.nopsd.{Z}", "s", client))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"direct.{Z}", f"direct.{Z}"),
        (f"sub.psdn.{Z}", f"psdn.{Z}"),
        (f"sub.nopsd.{Z}", f"nopsd.{Z}"),
        (f"leaf.mid.psdy.{Z}", f"psdy.{Z}"),  # diverges from the tree walk's org domain
    ],
)
def test_rfc7489_answer_with_a_public_suffix_list(
    walk_zone: LoopbackDns, query: str, expected: str
) -> None:
    found = run(lambda: rfc7489_policy(query, DnsClient(walk_zone.config()), frozenset({Z})))
    assert found.domain == expected and found.record is not None


def test_check_reports_the_tree_walk_and_the_rfc7489_difference(walk_zone: LoopbackDns) -> None:
    check = run(lambda: check_dmarc(f"leaf.mid.psdy.{Z}", DnsClient(walk_zone.config())))
    codes = [f.code for f in check.findings]
    assert check.policy_domain == f"psdy.{Z}"
    assert (
        "dmarc.inherited" in codes and "dmarc.p_none" in codes and "dmarc.rfc7489_differs" in codes
    )


def check(server: LoopbackDns, domain: str, zone: Zone):
    server.load(zone)
    return run(lambda: check_dmarc(domain, DnsClient(server.config())))


def test_missing_record_gets_a_starter_record_with_rua(dns_server: LoopbackDns) -> None:
    result = check(dns_server, "example.com", zone_from_pairs([("example.com", "A", "192.0.2.1")]))
    (missing,) = [f for f in result.findings if f.code == "dmarc.missing"]
    assert missing.severity == "error"
    assert missing.fix is not None
    assert (missing.fix.name, missing.fix.type) == ("_dmarc.example.com", "TXT")
    assert missing.fix.value == "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"


def test_multiple_records_are_an_error(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [
            ("_dmarc.example.com", "TXT", "v=DMARC1; p=reject"),
            ("_dmarc.example.com", "TXT", "v=DMARC1; p=none"),
        ]
    )
    result = check(dns_server, "example.com", zone)
    assert "dmarc.multiple_records" in [f.code for f in result.findings]
    assert result.record is None


def test_a_record_starting_with_whitespace_is_an_error(dns_server: LoopbackDns) -> None:
    result = check(
        dns_server,
        "example.com",
        zone_from_pairs([("_dmarc.example.com", "TXT", " v=DMARC1; p=reject")]),
    )
    assert "dmarc.malformed" in [f.code for f in result.findings]


def test_p_none_is_reported_as_not_enforcing(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [("_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com")]
    )
    result = check(dns_server, "example.com", zone)
    (p_none,) = [f for f in result.findings if f.code == "dmarc.p_none"]
    assert p_none.severity == "warning"
    assert (
        p_none.fix is not None
        and p_none.fix.value == "v=DMARC1; p=quarantine; rua=mailto:d@example.com"
    )


def test_external_report_destination_must_authorize(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [
            (
                "_dmarc.example.com",
                "TXT",
                "v=DMARC1; p=reject; rua=mailto:a@reports.example.net,mailto:b@ok.example.org",
            ),
            ("example.com._report._dmarc.ok.example.org", "TXT", "v=DMARC1"),
        ]
    )
    result = check(dns_server, "example.com", zone)
    (unauthorized,) = [f for f in result.findings if f.code == "dmarc.report_unauthorized"]
    assert unauthorized.fix is not None
    assert unauthorized.fix.name == "example.com._report._dmarc.reports.example.net"
    assert unauthorized.fix.value == "v=DMARC1"


def test_wildcard_report_authorization_counts(walk_zone: LoopbackDns) -> None:
    walk_zone.resolver.zone["_dmarc.customer.example"] = [
        ("TXT", "v=DMARC1; p=reject; rua=mailto:r@test.example")
    ]
    result = run(lambda: check_dmarc("customer.example", DnsClient(walk_zone.config())))
    assert "dmarc.report_unauthorized" not in [f.code for f in result.findings]
