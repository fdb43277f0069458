"""DKIM key records: dkimpy's test keys served from the loopback DNS server."""

from __future__ import annotations

import asyncio

import pytest

from outreach.deliverability.dkim import DkimCheck, check_dkim, evaluate_key
from outreach.deliverability.resolver import DnsClient

from .conftest import CONFORMANCE
from .dns_server import LoopbackDns, Zone, zone_from_pairs

KEYS = CONFORMANCE / "dkim"
VALID = {
    "1024_testkey_wo_markers.pub.txt": ("rsa", 1024),
    "1024_testkey_wo_markers.pub.rsa.txt": ("rsa", 1024),  # PKCS#1 RSAPublicKey, not SPKI
    "2048_testkey_PKCS8.key.pub.txt": ("rsa", 2048),
    "2048_testkey_wo_markers.pub.txt": ("rsa", 2048),
    "2048_testkey_wo_markers.pub.rsa.txt": ("rsa", 2048),
    "test.txt": ("rsa", 1024),
    "test2.txt": ("rsa", 1024),
    "ed25519test.dns": ("ed25519", 256),
    "eximtest.dns": ("ed25519", 256),
}
INVALID = {
    "badk.txt": "dkim.unknown_key_type",
    "badversion.txt": "dkim.bad_version",
    "test_bad.txt": "dkim.bad_key",
    "test_tlsrpt.txt": "dkim.not_for_email",  # s=tlsrpt: the key may not sign email
}


def record(filename: str) -> str:
    return (KEYS / filename).read_text().strip()


def check(server: LoopbackDns, zone: Zone, selectors: tuple[str, ...] = ()) -> DkimCheck:
    server.load(zone)
    return asyncio.run(check_dkim("example.com", DnsClient(server.config()), selectors=selectors))


@pytest.mark.parametrize(("filename", "expected"), VALID.items())
def test_valid_keys_are_recognized_with_type_and_size(
    dns_server: LoopbackDns, filename: str, expected: tuple[str, int]
) -> None:
    result = check(
        dns_server, zone_from_pairs([("k1._domainkey.example.com", "TXT", record(filename))])
    )
    (key,) = result.keys
    assert (key.selector, key.key_type, key.bits, key.usable) == ("k1", *expected, True)
    codes = [f.code for f in result.findings]
    assert ("dkim.short_key" in codes) == (expected == ("rsa", 1024))


@pytest.mark.parametrize(("filename", "code"), INVALID.items())
def test_bad_keys_are_errors(filename: str, code: str) -> None:
    key, findings = evaluate_key("s", "s._domainkey.example.com", record(filename))
    assert not key.usable
    assert [f.code for f in findings if f.severity == "error"] == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("v=DKIM1; k=rsa; p=", "dkim.revoked"),
        (
            "v=DKIM1; h=sha1; p=" + record("2048_testkey_wo_markers.pub.txt").split("p=")[1],
            "dkim.sha1_only",
        ),
        (
            "v=DKIM1; t=y; p=" + record("2048_testkey_wo_markers.pub.txt").split("p=")[1],
            "dkim.testing",
        ),
        (
            "v=DKIM2; p=" + record("2048_testkey_wo_markers.pub.txt").split("p=")[1],
            "dkim.bad_version",
        ),
    ],
)
def test_key_flags(text: str, code: str) -> None:
    _key, findings = evaluate_key("s", "s._domainkey.example.com", text)
    assert code in [f.code for f in findings]


def test_a_512_bit_key_is_a_weak_key_error() -> None:
    p = (
        "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAL4fbgu3XL9jn6RRx1Ye3i0uFMKrM9Ay"
        "ik4wDX/ZqgL9T3rPoTzf6ZZuoZ09DXtfDtZ5UDjKxhcsk7fuNkNtBl0CAwEAAQ=="
    )
    key, findings = evaluate_key("s", "s._domainkey.example.com", f"v=DKIM1; p={p}")
    assert key.bits == 512 and not key.usable
    assert "dkim.weak_key" in [f.code for f in findings]


def test_keys_are_discovered_among_common_selectors(dns_server: LoopbackDns) -> None:
    zone = zone_from_pairs(
        [("google._domainkey.example.com", "TXT", record("2048_testkey_wo_markers.pub.txt"))]
    )
    result = check(dns_server, zone)
    assert [k.selector for k in result.keys] == ["google"]
    assert result.has_usable_key


def test_a_configured_selector_is_the_only_one_asked(dns_server: LoopbackDns) -> None:
    result = check(dns_server, {}, selectors=("mine",))
    assert dns_server.queries == [("mine._domainkey.example.com", "TXT")]
    (missing,) = [f for f in result.findings if f.code == "dkim.missing"]
    assert missing.fix is not None and missing.fix.name == "mine._domainkey.example.com"


def test_cname_delegated_keys_are_followed(dns_server: LoopbackDns) -> None:
    target = "selector1-example-com._domainkey.example.onmicrosoft.com"
    zone = zone_from_pairs(
        [
            ("selector1._domainkey.example.com", "CNAME", target),
            (target, "TXT", record("2048_testkey_wo_markers.pub.txt")),
        ]
    )
    result = check(dns_server, zone, selectors=("selector1",))
    (key,) = result.keys
    assert key.delegated_to == target and key.usable
    assert "dkim.delegated" in [f.code for f in result.findings]


def test_other_txt_records_at_the_name_are_ignored_but_two_keys_are_an_error(
    dns_server: LoopbackDns,
) -> None:
    zone = zone_from_pairs(
        [
            ("k1._domainkey.example.com", "TXT", "google-site-verification=abc"),
            ("k1._domainkey.example.com", "TXT", record("2048_testkey_wo_markers.pub.txt")),
        ]
    )
    assert len(check(dns_server, zone, selectors=("k1",)).keys) == 1
    zone["k1._domainkey.example.com"].append(("TXT", record("test.txt")))
    assert "dkim.multiple_records" in [
        f.code for f in check(dns_server, zone, selectors=("k1",)).findings
    ]
