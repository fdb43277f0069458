"""``manage.py check_domains``: any domain, no workspace, non-zero exit on errors."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .dns_server import LoopbackDns
from .test_checker import zone


def run(server: LoopbackDns, *argv: str) -> tuple[str, int]:
    out = io.StringIO()
    options = ["--nameserver", "127.0.0.1", "--port", str(server.port), "--timeout", "0.5"]
    try:
        call_command("check_domains", *argv, *options, "--selector", "s1", stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def test_a_healthy_domain_exits_zero_and_says_ready(dns_server: LoopbackDns) -> None:
    dns_server.load(zone("alpha.example"))
    text, status = run(dns_server, "alpha.example")
    assert status == 0
    assert text.startswith("alpha.example: ready")
    assert "\n\n" not in text  # one line per finding, no doubled newlines


def test_a_domain_with_errors_exits_one_and_shows_the_fix(dns_server: LoopbackDns) -> None:
    dns_server.load(zone("alpha.example"))
    text, status = run(dns_server, "alpha.example", "broken.example")
    assert status == 1
    assert "broken.example: not ready" in text
    assert "✗ spf.missing" in text
    assert "publish: _dmarc.broken.example TXT v=DMARC1; p=none" in text


def test_json_output_is_one_report_per_domain(dns_server: LoopbackDns) -> None:
    dns_server.load(zone("alpha.example"))
    text, status = run(dns_server, "alpha.example", "broken.example", "--json")
    assert status == 1
    reports = json.loads(text)
    assert [r["domain"] for r in reports] == ["alpha.example", "broken.example"]
    assert [r["readiness"]["ready"] for r in reports] == [True, False]


def test_dns_that_does_not_answer_exits_two(dns_server: LoopbackDns) -> None:
    dns_server.load({"gamma.example": [("SERVFAIL", None)]})
    _text, status = run(dns_server, "gamma.example")
    assert status == 2


def test_it_needs_a_domain() -> None:
    with pytest.raises(CommandError, match="required: DOMAIN"):
        call_command("check_domains")
