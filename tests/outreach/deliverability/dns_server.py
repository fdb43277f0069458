"""A real DNS server on 127.0.0.1 (dnslib, UDP and TCP) serving test zones from a dict.

Zones map a lower-case name to a list of ``(type, value)`` entries, plus two markers:
``("TIMEOUT", None)`` — the name does not answer for types it has no records of (the openspf
suites' semantics) — ``("SERVFAIL", None)``, and ``("DROP", n)``: the first ``n`` questions
for the name get no reply (a lost packet), later ones are answered. Every question is logged
in ``queries`` so tests can assert what was (and was not) asked.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable
from typing import cast

from dnslib import AAAA, CNAME, MX, PTR, QTYPE, RCODE, RR, TXT, A, DNSError, DNSRecord
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from outreach.deliverability.resolver import ResolverConfig

Zone = dict[str, list[tuple[str, object]]]
QUIET = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)


def _txt(value: object) -> TXT:
    strings = value if isinstance(value, list) else [value]
    chunks: list[bytes] = []
    for item in strings:
        data = item.encode() if isinstance(item, str) else bytes(item)  # type: ignore[arg-type]
        # One DNS character-string holds 255 bytes; longer values are split like a zone file.
        chunks.extend(data[i : i + 255] for i in range(0, len(data), 255))
        if not data:
            chunks.append(b"")
    # "Null text" (a TXT record of no strings) cannot be sent on the wire; serve one empty string,
    # which reads the same once the strings are joined.
    return TXT(chunks or [b""])


def _rdata(rtype: str, value: object):
    if rtype == "A":
        return A(str(value))
    if rtype == "AAAA":
        return AAAA(str(value))
    if rtype == "MX":
        preference, host = cast("tuple[int, str]", value)
        return MX(str(host), int(preference))
    if rtype == "PTR":
        return PTR(str(value))
    if rtype == "CNAME":
        return CNAME(str(value))
    return _txt(value)  # TXT and SPF


def normalize(name: str) -> str:
    return name.rstrip(".").lower()


class ZoneResolver(BaseResolver):
    def __init__(self) -> None:
        self.zone: Zone = {}
        self.queries: list[tuple[str, str]] = []
        self.dropped: dict[str, int] = {}
        self._lock = threading.Lock()

    def _entries(self, name: str) -> list[tuple[str, object]] | None:
        if name in self.zone:
            return self.zone[name]
        labels = name.split(".")
        for i in range(1, len(labels)):
            ancestor = ".".join(labels[i:])
            wildcard = self.zone.get("*." + ancestor)
            if wildcard is not None:
                return wildcard
            if self._exists(ancestor):
                return None
        return None

    def _exists(self, name: str) -> bool:
        return name in self.zone or any(n.endswith("." + name) for n in self.zone)

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        qname = b".".join(request.q.qname.label).decode("latin-1").lower()
        qtype = QTYPE.get(request.q.qtype)
        with self._lock:
            self.queries.append((qname, str(qtype)))
        reply = request.reply()
        name = qname
        for _hop in range(8):
            entries = self._entries(name)
            if entries is None:
                if not self._exists(name):
                    reply.header.rcode = RCODE.NXDOMAIN
                return reply
            kinds = [kind for kind, _value in entries]
            drops = next((int(v) for k, v in entries if k == "DROP"), 0)  # type: ignore[call-overload]
            with self._lock:
                dropped = self.dropped.get(name, 0)
                if dropped < drops:
                    self.dropped[name] = dropped + 1
            if dropped < drops:
                raise DNSError("simulated lost packet")
            if "SERVFAIL" in kinds:
                reply.header.rcode = RCODE.SERVFAIL
                return reply
            cname = [value for kind, value in entries if kind == "CNAME"]
            if cname and qtype != "CNAME":
                reply.add_answer(RR(name, QTYPE.CNAME, rdata=CNAME(str(cname[0])), ttl=60))
                name = normalize(str(cname[0]))
                continue
            matching = [(k, v) for k, v in entries if k == qtype]
            if not matching and "TIMEOUT" in kinds:
                raise DNSError("simulated timeout: no reply")  # dnslib sends nothing back
            for kind, value in matching:
                reply.add_answer(RR(name, getattr(QTYPE, kind), rdata=_rdata(kind, value), ttl=60))
            return reply
        return reply


def _free_port() -> int:
    # A port free for TCP is almost always free for UDP too; try a few in the rare other case.
    for _attempt in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


class LoopbackDns:
    """The running server: swap ``zone`` per test, read ``queries`` afterwards."""

    def __init__(self) -> None:
        self.resolver = ZoneResolver()
        self.port = _free_port()
        self._servers = [
            DNSServer(self.resolver, address="127.0.0.1", port=self.port, tcp=tcp, logger=QUIET)
            for tcp in (False, True)
        ]

    def start(self) -> None:
        for server in self._servers:
            server.start_thread()

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
            server.server.server_close()

    def load(self, zone: Zone) -> None:
        self.resolver.zone = {normalize(name): list(entries) for name, entries in zone.items()}
        self.resolver.queries = []
        self.resolver.dropped = {}

    @property
    def queries(self) -> list[tuple[str, str]]:
        return self.resolver.queries

    def config(self, *, timeout: float = 1.0, **overrides: object) -> ResolverConfig:
        return ResolverConfig(
            nameservers=("127.0.0.1",),
            port=self.port,
            timeout=timeout,
            lifetime=float(overrides.pop("lifetime", timeout)),  # type: ignore[arg-type]
            **overrides,  # type: ignore[arg-type]
        )


def zone_from_pairs(pairs: Iterable[tuple[str, str, object]]) -> Zone:
    zone: Zone = {}
    for name, rtype, value in pairs:
        zone.setdefault(normalize(name), []).append((rtype, value))
    return zone
