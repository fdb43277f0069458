"""Sending questions to nameservers: UDP on a few shared sockets, TCP when a reply is cut.

dnspython's async query opens, registers and closes a socket per question, which costs as
much CPU as the question itself. Here a handful of UDP sockets per nameserver carry several
questions at once, matched to replies by ID and by the echoed question; a socket closes as
soon as nothing is waiting on it, so nothing needs closing at the end of a run. Each socket
has its own random source port and each question a random ID, which keeps blind spoofing
as hard as with a socket per question.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Sequence

from .wire import NOERROR, NXDOMAIN, TC, YXDOMAIN, MalformedReply, Question, Reply, decode

Server = tuple[str, int]
QUESTIONS_PER_SOCKET = 8


class ServerFailed(Exception):
    """This nameserver cannot answer this question (refused, SERVFAIL, broken reply)."""


def _time_out(future: asyncio.Future[bytes]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


class _UdpSocket(asyncio.DatagramProtocol):
    def __init__(self, pool: list[_UdpSocket]) -> None:
        self.pool = pool
        self.transport: asyncio.DatagramTransport | None = None
        self.waiting: dict[int, tuple[Question, asyncio.Future[bytes]]] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: object) -> None:
        entry = self.waiting.get(int.from_bytes(data[:2], "big")) if len(data) > 2 else None
        if entry is not None and entry[0].echoed_by(data) and not entry[1].done():
            entry[1].set_result(data)

    def error_received(self, exc: Exception) -> None:
        # An ICMP error (port unreachable) on a connected socket: its server is not listening.
        for _question, future in self.waiting.values():
            if not future.done():
                future.set_exception(ServerFailed(f"unreachable ({exc})"))

    def connection_lost(self, exc: Exception | None) -> None:
        if self in self.pool:
            self.pool.remove(self)

    async def ask(self, question: Question, timeout: float) -> bytes:
        assert self.transport is not None
        qid = secrets.randbits(16)
        while qid in self.waiting:
            qid = secrets.randbits(16)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bytes] = loop.create_future()
        self.waiting[qid] = (question, future)
        # A timer rather than asyncio.wait_for(), which wraps every question in another task.
        timer = loop.call_later(timeout, _time_out, future)
        try:
            self.transport.sendto(question.query(qid))
            return await future
        finally:
            timer.cancel()
            del self.waiting[qid]
            if not self.waiting:
                self.transport.close()  # idle: give the port back, open a fresh one next time


class Transport:
    """Questions to a list of nameservers, with dnspython's failover rules."""

    def __init__(self, servers: Sequence[Server]) -> None:
        self.servers = list(servers)
        self._sockets: dict[Server, list[_UdpSocket]] = {}

    async def _socket(self, server: Server) -> _UdpSocket:
        pool = self._sockets.setdefault(server, [])
        for udp in pool:
            closing = udp.transport is None or udp.transport.is_closing()
            if len(udp.waiting) < QUESTIONS_PER_SOCKET and not closing:
                return udp
        udp = _UdpSocket(pool)
        await asyncio.get_running_loop().create_datagram_endpoint(lambda: udp, remote_addr=server)
        pool.append(udp)
        return udp

    async def _udp(self, server: Server, question: Question, timeout: float) -> bytes:
        udp = await self._socket(server)
        try:
            return await udp.ask(question, timeout)
        except TimeoutError:
            raise  # an OSError too, but a lost or slow reply is asked again, not a failure
        except OSError as exc:
            raise ServerFailed(str(exc)) from exc

    async def _tcp(self, server: Server, question: Question, timeout: float) -> bytes:
        async def exchange() -> bytes:
            reader, writer = await asyncio.open_connection(*server)
            try:
                message = question.query(secrets.randbits(16))
                writer.write(len(message).to_bytes(2, "big") + message)
                size = int.from_bytes(await reader.readexactly(2), "big")
                return await reader.readexactly(size)
            finally:
                writer.close()

        try:
            wire = await asyncio.wait_for(exchange(), timeout)
        except TimeoutError:
            raise
        except (OSError, asyncio.IncompleteReadError) as exc:
            raise ServerFailed(f"TCP: {exc}") from exc
        if not question.echoed_by(wire):
            raise ServerFailed("TCP reply to another question")
        return wire

    async def resolve(self, question: Question, *, timeout: float, lifetime: float) -> Reply:
        """The first usable reply; raises TimeoutError when ``lifetime`` runs out and
        ServerFailed when every server failed."""
        deadline = time.monotonic() + lifetime
        servers = list(self.servers)
        problem = "no nameservers"
        while servers:
            for server in list(servers):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                try:
                    wire = await self._udp(server, question, min(timeout, remaining))
                    if wire[2] & (TC >> 8):  # cut short: the records may be half there
                        left = max(deadline - time.monotonic(), 0.01)
                        wire = await self._tcp(server, question, left)
                    reply = decode(wire, question)
                except TimeoutError:
                    continue  # try the next server, and this one again while time remains
                except (ServerFailed, MalformedReply) as exc:
                    problem = str(exc)
                    servers.remove(server)
                    continue
                if reply.rcode in (NOERROR, NXDOMAIN, YXDOMAIN):
                    return reply
                problem = f"rcode {reply.rcode}"
                servers.remove(server)  # SERVFAIL, REFUSED …: not an answer, ask the next
        raise ServerFailed(problem)
