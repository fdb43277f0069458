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
def dns_server(loopback_dns: LoopbackDns) -> LoopbackDns:
    """The shared server with an empty zone; each test loads its own."""
    loopback_dns.load({})
    return loopback_dns
