"""Fixtures shared by the deliverability tests: the loopback DNS server and conformance data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .dns_server import LoopbackDns

CONFORMANCE = Path(__file__).parent / "conformance"


@pytest.fixture(scope="session")
def loopback_dns() -> Iterator[LoopbackDns]:
    server = LoopbackDns()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def dns_server(loopback_dns: LoopbackDns, settings) -> LoopbackDns:  # type: ignore[no-untyped-def]
    """The shared server with an empty zone; each test loads its own.

    The admin's list of resolvers a workspace may choose names it.
    """
    settings.DNS_RESOLVERS_ALLOWED = [("127.0.0.1", loopback_dns.port)]
    loopback_dns.load({})
    return loopback_dns


@pytest.fixture
def acme_dns(dns_server: LoopbackDns, workspace, settings) -> LoopbackDns:  # type: ignore[no-untyped-def]
    """Acme's domain served healthy on loopback, and Acme's policy asking that server.

    The checks then go the production way (task → service → the policy's resolver), with no
    resolver passed in.
    """
    from outreach.services.domain_checks import deliverability_policy_update

    from .domain_zone import acme_zone

    settings.SITE_URL = "https://crm.acme.test"  # one-click unsubscribe over HTTPS
    dns_server.load(acme_zone())
    deliverability_policy_update(
        workspace=workspace,
        pause_on_failure=True,
        ip_blocklists=[],
        domain_blocklists=[],
        dns_nameserver="127.0.0.1",
        dns_port=dns_server.port,
    )
    return dns_server
