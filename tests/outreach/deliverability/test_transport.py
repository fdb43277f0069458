"""How the client reaches nameservers: failover, unreachable servers, shared sockets."""

from __future__ import annotations

import asyncio
import time

import pytest

from outreach.deliverability.resolver import DnsClient, DnsUnavailable, ResolverConfig

from .dns_server import LoopbackDns, zone_from_pairs


def test_a_server_that_is_not_listening_fails_fast_not_by_timeout(dns_server: LoopbackDns) -> None:
    config = ResolverConfig(nameservers=("127.0.0.2",), port=dns_server.port, timeout=5.0)
    started = time.monotonic()
    with pytest.raises(DnsUnavailable, match="server failure"):
        asyncio.run(DnsClient(config).query("example.com", "TXT"))
    assert time.monotonic() - started < 2.0


def test_the_next_nameserver_answers_when_the_first_cannot(dns_server: LoopbackDns) -> None:
    dns_server.load(zone_from_pairs([("example.com", "TXT", "v=spf1 -all")]))
    config = ResolverConfig(nameservers=("127.0.0.2", "127.0.0.1"), port=dns_server.port)
    answer = asyncio.run(DnsClient(config).query("example.com", "TXT"))
    assert answer.txt_strings() == ["v=spf1 -all"]


def test_many_questions_at_once_each_get_their_own_answer(dns_server: LoopbackDns) -> None:
    dns_server.load(
        zone_from_pairs([(f"h{n}.example.com", "A", f"192.0.2.{n}") for n in range(60)])
    )
    client = DnsClient(dns_server.config(concurrency=30))

    async def ask_all() -> list[tuple]:
        lookups = [client.query(f"h{n}.example.com", "A") for n in range(60)]
        return [lookup.records for lookup in await asyncio.gather(*lookups)]

    assert asyncio.run(ask_all()) == [(f"192.0.2.{n}",) for n in range(60)]


def test_a_lost_reply_is_asked_again_within_the_lifetime(dns_server: LoopbackDns) -> None:
    dns_server.load({"example.com": [("DROP", 1), ("TXT", "v=spf1 -all")]})
    config = dns_server.config(timeout=0.3, lifetime=2.0)

    answer = asyncio.run(DnsClient(config).query("example.com", "TXT"))

    assert answer.txt_strings() == ["v=spf1 -all"]
    assert dns_server.queries.count(("example.com", "TXT")) == 2


def test_replies_lost_for_the_whole_lifetime_are_a_timeout(dns_server: LoopbackDns) -> None:
    dns_server.load({"example.com": [("DROP", 99), ("TXT", "v=spf1 -all")]})

    with pytest.raises(DnsUnavailable, match="timeout"):
        asyncio.run(
            DnsClient(dns_server.config(timeout=0.2, lifetime=0.5)).query("example.com", "TXT")
        )
