"""The openspf-format SPF suites against check_host(), over a real DNS server on loopback."""

from __future__ import annotations

import pytest

from outreach.deliverability.spf import check_host

from .conftest import CONFORMANCE
from .dns_server import LoopbackDns
from .spf_suites import SpfCase, load_suite

SUITES = CONFORMANCE / "spf"
RFC7208 = load_suite(SUITES / "rfc7208-tests.yml")
MAILAUTH = load_suite(SUITES / "mailauth-rfc7208-tests.yml")
BLITIRI = load_suite(SUITES / "blitirispf-tests.yml")
PYSPF = load_suite(SUITES / "pyspf-test.yml")

SINGLE_LABEL = (
    "blitiri's suite uses single-label names (d11, mx10, d00 …); RFC 7208 §4.3/§4.8 require a "
    "domain-end with a top-level label, so we answer none/permerror as the RFC suite expects"
)
DISPUTED = {
    ("blitiri", "resolution-with-10-lookups"): SINGLE_LABEL,
    ("blitiri", "mx-resolution-10-terms"): SINGLE_LABEL,
    ("blitiri", "mx-resolution-11-terms"): SINGLE_LABEL,
    ("blitiri", "one-mx-not-found"): SINGLE_LABEL,
    ("blitiri", "all-mx-not-found"): SINGLE_LABEL,
    ("blitiri", "include-not-found"): SINGLE_LABEL,
    ("blitiri", "redirect-not-found"): SINGLE_LABEL,
    ("pyspf", "default-modifier"): "default= is a pre-RFC 4408 modifier; RFC 7208 ignores it",
    ("pyspf", "default-modifier-harsh"): "expects pyspf's non-RFC 'ambiguous' result",
}


def run_case(server: LoopbackDns, case: SpfCase) -> None:
    server.load(case.zone)
    # A short lifetime keeps the suite's simulated timeouts (TIMEOUT names) cheap; the other
    # cases get time for a retry, so a loaded machine's slow reply is not a temperror.
    simulated = any(kind == "TIMEOUT" for entries in case.zone.values() for kind, _ in entries)
    config = server.config(timeout=0.3) if simulated else server.config(timeout=1.0, lifetime=3.0)
    outcome = check_host(case.host, case.mailfrom, case.helo, resolver=config)
    assert outcome.result in case.results, outcome
    if case.explanation is not None and outcome.result == "fail":
        if case.explanation == "DEFAULT":
            assert outcome.explanation_source == "default", outcome
        else:
            assert outcome.explanation == case.explanation, outcome


def params(suite: str, cases: list[SpfCase]) -> list:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(reason=DISPUTED[suite, case.id], strict=True)]
            if (suite, case.id) in DISPUTED
            else [],
        )
        for case in cases
    ]


def test_the_suites_have_every_test() -> None:
    assert (len(RFC7208), len(MAILAUTH), len(BLITIRI), len(PYSPF)) == (203, 200, 21, 16)


@pytest.mark.parametrize("case", params("rfc7208", RFC7208))
def test_rfc7208(loopback_dns: LoopbackDns, case: SpfCase) -> None:
    run_case(loopback_dns, case)


@pytest.mark.parametrize("case", params("mailauth", MAILAUTH))
def test_mailauth_rfc7208(loopback_dns: LoopbackDns, case: SpfCase) -> None:
    run_case(loopback_dns, case)


@pytest.mark.parametrize("case", params("blitiri", BLITIRI))
def test_blitiri(loopback_dns: LoopbackDns, case: SpfCase) -> None:
    run_case(loopback_dns, case)


@pytest.mark.parametrize("case", params("pyspf", PYSPF))
def test_pyspf(loopback_dns: LoopbackDns, case: SpfCase) -> None:
    run_case(loopback_dns, case)
