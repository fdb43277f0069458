"""One async DNS client for every deliverability check.

Every check asks DNS through :class:`DnsClient`, so three rules hold everywhere:

* a timeout, SERVFAIL or refused answer raises :class:`DnsUnavailable` ("could not check"),
  while NXDOMAIN and "no records of that type" are ordinary, empty answers ("missing");
* each ``(name, type)`` is asked at most once per run, even when many checks ask it at the
  same moment (in-flight lookups are shared);
* at most ``concurrency`` queries are on the wire at once, so checking 50 domains does not
  flood the resolver.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import dns.name
import dns.resolver

from .transport import ServerFailed, Transport
from .wire import NXDOMAIN, YXDOMAIN, Question, name_text


@dataclass(frozen=True)
class ResolverConfig:
    """Where and how to ask DNS. No nameservers means the system's resolver configuration."""

    nameservers: tuple[str, ...] = ()
    port: int = 53
    timeout: float = 2.0  # seconds per attempt
    lifetime: float = 5.0  # seconds per lookup, retries included
    concurrency: int = 20


class DnsUnavailable(Exception):
    """DNS did not give an answer we can trust (timeout, SERVFAIL, refused)."""

    def __init__(self, name: str, rdtype: str, reason: str) -> None:
        super().__init__(f"{name}/{rdtype}: {reason}")
        self.name = name
        self.rdtype = rdtype
        self.reason = reason


@dataclass(frozen=True)
class Lookup:
    """The answer to one question, normalized to plain Python values.

    ``records`` holds: str addresses (A/AAAA), ``(preference, host)`` tuples (MX), host names
    without the trailing dot (PTR/CNAME/NS), and tuples of byte strings (TXT, one tuple per
    record, one item per character-string).
    """

    name: str
    rdtype: str
    records: tuple = ()
    nxdomain: bool = False
    canonical_name: str = ""  # where CNAMEs led, when they did
    wire_size: int = 0  # size of the DNS response, for the 512-byte UDP warning

    @property
    def void(self) -> bool:
        """NXDOMAIN or an empty answer: what RFC 7208 calls a void lookup."""
        return not self.records

    def txt_strings(self) -> list[str]:
        """TXT records as text, character-strings joined without spaces (RFC 7208 §3.3)."""
        return [b"".join(parts).decode("latin-1") for parts in self.records]


def _servers(config: ResolverConfig) -> list[tuple[str, int]]:
    if config.nameservers:
        return [(address, config.port) for address in config.nameservers]
    # No nameservers given: the system's, as /etc/resolv.conf (or Windows) lists them.
    system = dns.resolver.Resolver()
    return [(str(ns), config.port) for ns in system.nameservers if isinstance(ns, str)]


@dataclass
class DnsClient:
    """Cached, bounded async DNS lookups for one run of the checks."""

    config: ResolverConfig = field(default_factory=ResolverConfig)
    queries_sent: int = 0

    def __post_init__(self) -> None:
        self._transport = Transport(_servers(self.config))
        self._done: dict[tuple[str, str], Lookup | DnsUnavailable] = {}
        self._pending: dict[tuple[str, str], asyncio.Future[Lookup]] = {}
        self._semaphore: asyncio.Semaphore | None = None

    async def query(self, name: str, rdtype: str) -> Lookup:
        """Answer ``name``/``rdtype`` from the run cache, else from DNS.

        Raises :class:`DnsUnavailable` when DNS could not answer; the failure is cached too,
        so one unreachable zone costs one timeout per run, not one per check.
        """
        key = (name.rstrip(".").lower(), rdtype.upper())
        cached = self._done.get(key)
        if isinstance(cached, DnsUnavailable):
            raise cached
        if cached is not None:
            return cached
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Lookup] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            result = await self._ask(*key)
        except DnsUnavailable as exc:
            self._done[key] = exc
            future.set_exception(exc)
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        finally:
            self._pending.pop(key, None)
        self._done[key] = result
        future.set_result(result)
        return result

    async def _ask(self, name: str, rdtype: str) -> Lookup:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.config.concurrency)
        try:
            qname = dns.name.from_text(name or ".")
        except (dns.name.EmptyLabel, dns.name.LabelTooLong, dns.name.NameTooLong):
            # A name DNS cannot carry has no records; callers decide whether that is an error.
            return Lookup(name, rdtype, nxdomain=True)
        async with self._semaphore:
            self.queries_sent += 1
            question = Question.make(qname, rdtype)
            try:
                reply = await self._transport.resolve(
                    question, timeout=self.config.timeout, lifetime=self.config.lifetime
                )
            except TimeoutError as exc:
                raise DnsUnavailable(name, rdtype, "timeout") from exc
            except ServerFailed as exc:
                raise DnsUnavailable(name, rdtype, "server failure") from exc
        if reply.rcode in (NXDOMAIN, YXDOMAIN):
            return Lookup(name, rdtype, nxdomain=True)
        canonical = name_text(reply.canonical_name).lower()
        return Lookup(
            name,
            rdtype,
            records=reply.records,
            canonical_name=canonical if canonical != name else "",
            wire_size=reply.size,
        )
