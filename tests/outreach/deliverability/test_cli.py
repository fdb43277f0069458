"""The command-line entry the management command wraps."""

from __future__ import annotations

import io
import json

from outreach.deliverability.cli import main

from .dns_server import LoopbackDns, zone_from_pairs


def args(server: LoopbackDns, *extra: str) -> list[str]:
    return ["--nameserver", "127.0.0.1", "--port", str(server.port), "--timeout", "0.5", *extra]


def test_it_prints_findings_with_the_record_to_publish(dns_server: LoopbackDns) -> None:
    dns_server.load(zone_from_pairs([("example.com", "MX", [10, "mx.example.com"])]))
    out = io.StringIO()
    status = main(args(dns_server, "example.com", "--selector", "s1"), out)
    assert status == 1
    text = out.getvalue()
    assert "example.com: not ready" in text
    assert "spf.missing" in text
    assert (
        "publish: _dmarc.example.com TXT v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
        in text
    )


def test_it_prints_json(dns_server: LoopbackDns) -> None:
    dns_server.load({})
    out = io.StringIO()
    main(args(dns_server, "a.example", "b.example", "--json", "--selector", "s1"), out)
    reports = json.loads(out.getvalue())
    assert [r["domain"] for r in reports] == ["a.example", "b.example"]
    assert reports[0]["readiness"]["ready"] is False


def test_an_incomplete_check_exits_2(dns_server: LoopbackDns) -> None:
    dns_server.load({"example.com": [("SERVFAIL", None)]})
    assert main(args(dns_server, "example.com", "--selector", "s1"), io.StringIO()) == 2
