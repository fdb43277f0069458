"""The one HTTP client for URLs that users or DNS records give us (MTA-STS policies, feeds…).

Such a URL must never reach this machine or its private network (the cloud metadata service,
the database, an admin page on localhost): every address the name resolves to must be public,
and the connection goes to the address that was checked — the IP is pinned, with the original
name kept for the Host header, SNI and certificate checks — so a DNS answer that changes between
the check and the connection (DNS rebinding) cannot slip through. Redirects are followed by hand,
each hop checked the same way, and bodies are read up to a size limit.

The rule itself (and ``settings.OUTBOUND_ALLOW_PRIVATE``, the admin's allow-list) lives in
``crm.net.addresses``, shared with the SMTP, IMAP and DNS connections.
"""

from __future__ import annotations

import datetime as dt
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from crm.net.addresses import (
    Resolve,
    UnresolvableHost,
    UnsafeAddress,
    checked_address,
    system_resolve,
)

MAX_REDIRECTS = 3
USER_AGENT = "Kindling/1.0 (+https://github.com/kindling-crm)"


class UnsafeURL(UnsafeAddress):
    """The URL is not http(s), or leads to a private, loopback or otherwise internal address."""


class FetchFailed(Exception):
    """The server could not be reached or answered badly (the caller decides what that means)."""


class FetchTimeout(FetchFailed):
    """The server did not answer, or not completely, within the time allowed."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _address(host: str, port: int, resolve: Resolve) -> str:
    try:
        return checked_address(host, port, resolve=resolve)
    except UnsafeAddress as exc:
        raise UnsafeURL(exc.message, errors=exc.errors) from None
    except UnresolvableHost as exc:
        raise FetchFailed(str(exc)) from None


def _split(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise UnsafeURL.field("url", "This is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeURL.field("url", "Only http:// and https:// URLs can be fetched.")
    if parts.username or parts.password:
        raise UnsafeURL.field("url", "URLs with a user name or password are not fetched.")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)


@dataclass(frozen=True)
class _Pinned:
    """A URL rewritten to the address that was checked, with the name kept for Host and SNI."""

    url: str
    host: str
    host_header: str


def _pin(url: str, resolve: Resolve) -> _Pinned:
    scheme, host, port = _split(url)
    address = _address(host, port, resolve)
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    pinned = urlunsplit((scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
    return _Pinned(pinned, host, parts.netloc.rsplit("@", 1)[-1])


def _fetched(url: str, response: httpx.Response, body: bytes, truncated: bool) -> Fetched:
    return Fetched(
        url=url,
        status=response.status_code,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=body,
        truncated=truncated,
    )


def public_get(
    url: str,
    *,
    timeout: float = 5.0,
    max_bytes: int = 1_000_000,
    resolve: Resolve = system_resolve,
    verify: ssl.SSLContext | bool = True,
    accept: Iterable[str] = ("*/*",),
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` if it and every redirect lead to public addresses; raise UnsafeURL if not.

    Connection and HTTP errors raise FetchFailed; any HTTP status is returned as is (with
    ``max_redirects=0`` a redirect too, for protocols that forbid following them).
    """
    current = url
    with httpx.Client(timeout=timeout, verify=verify, follow_redirects=False) as client:
        for hop in range(max_redirects + 1):
            pin = _pin(current, resolve)
            headers = {
                "Host": pin.host_header,
                "User-Agent": USER_AGENT,
                "Accept": ", ".join(accept),
            }
            try:
                with client.stream(
                    "GET", pin.url, headers=headers, extensions={"sni_hostname": pin.host}
                ) as response:
                    if (
                        response.is_redirect
                        and "location" in response.headers
                        and hop < max_redirects
                    ):
                        current = urljoin(current, response.headers["location"])
                        continue
                    return _fetched(current, response, *_read(response, max_bytes))
            except httpx.HTTPError as exc:
                raise FetchFailed(f"{pin.host}: {exc}") from None
    raise FetchFailed(f"More than {max_redirects} redirects from {url}.")


@lru_cache(maxsize=1)
def _default_tls() -> ssl.SSLContext:
    # Building a verifying context loads the CA bundle (tens of milliseconds, far more under
    # load): webhook deliveries make one per POST, so they share this one (thread-safe).
    return httpx.create_ssl_context()


def post_client(*, timeout: float = 15.0, verify: ssl.SSLContext | bool = True) -> httpx.Client:
    """A client to pass to :func:`public_post` for many POSTs: its connections are kept alive.

    Use one per host name (never share it between names: a kept-alive TLS connection was
    checked for one name's certificate). The caller closes it.
    """
    return httpx.Client(
        timeout=timeout,
        verify=_default_tls() if verify is True else verify,
        follow_redirects=False,
        trust_env=False,
    )


def public_post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str] | None = None,
    timeout: float = 15.0,
    max_bytes: int = 64_000,
    resolve: Resolve = system_resolve,
    verify: ssl.SSLContext | bool = True,
    client: httpx.Client | None = None,
) -> Fetched:
    """POST ``body`` to ``url`` if it leads to a public address (or one the admin allowed).

    The same address rule and IP pinning as :func:`public_get`; redirects are never followed
    (a 3xx is returned as is: webhook senders count it as a failure). Connection errors and
    timeouts raise FetchFailed; any HTTP status is returned, with the body up to ``max_bytes``.
    ``client`` (from :func:`post_client`, one per host name) reuses connections.
    """
    pin = _pin(url, resolve)
    sent = {"User-Agent": USER_AGENT, **(headers or {}), "Host": pin.host_header}
    own = client is None
    http = post_client(timeout=timeout, verify=verify) if client is None else client
    try:
        with http.stream(
            "POST",
            pin.url,
            content=body,
            headers=sent,
            timeout=timeout,
            extensions={"sni_hostname": pin.host},
        ) as response:
            return _fetched(url, response, *_read(response, max_bytes))
    except httpx.HTTPError as exc:
        raise FetchFailed(f"{pin.host}: {exc}") from None
    finally:
        if own:
            http.close()


def _read(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False


def retry_after_seconds(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """A ``Retry-After`` header in seconds from now: delay-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class PublicClient:
    """``public_get`` for many fetches: pooled connections, conditional GETs, concurrency caps.

    Thread-safe: a feed refresh calls ``get`` from a pool of threads. Connections are pooled per
    host name (not per address, so a kept-alive TLS connection is never reused for another name
    than the one its certificate was checked for). At most ``max_concurrency`` requests run at
    once, and at most ``per_host`` to one host name: politeness towards small blogs, and the
    limit public APIs ask for. Each call has an overall deadline of ``timeout`` seconds, a slow
    drip of bytes included, and reads at most ``max_bytes``.
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = 5_000_000,
        per_host: int = 2,
        max_concurrency: int = 20,
        resolve: Resolve = system_resolve,
        verify: ssl.SSLContext | bool = True,
        max_hosts_pooled: int = 256,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.per_host = per_host
        self._resolve = resolve
        # One TLS context for every host's pool: building one (loading the CA bundle) costs
        # more than a whole fetch on a fast server.
        self._verify = httpx.create_ssl_context(verify=verify) if verify is True else verify
        self._max_hosts = max_hosts_pooled
        self._lock = threading.Lock()
        self._global = threading.BoundedSemaphore(max_concurrency)
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._pools: OrderedDict[str, httpx.Client] = OrderedDict()
        self._active: dict[str, int] = {}

    def __enter__(self) -> PublicClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            pool.close()

    def host_slot(self, host: str) -> threading.BoundedSemaphore:
        """The semaphore capping concurrent requests to ``host`` (callers may hold it longer)."""
        with self._lock:
            slot = self._host_slots.get(host)
            if slot is None:
                slot = self._host_slots[host] = threading.BoundedSemaphore(self.per_host)
            return slot

    def _pool(self, host: str) -> httpx.Client:
        evicted: list[httpx.Client] = []
        with self._lock:
            pool = self._pools.get(host)
            if pool is not None:
                self._pools.move_to_end(host)
                return pool
            pool = httpx.Client(
                timeout=self.timeout,
                verify=self._verify,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=self.per_host, max_keepalive_connections=2),
            )
            self._pools[host] = pool
            # Close the least recently used pools of hosts no request is using right now.
            for name in list(self._pools):
                if len(self._pools) <= self._max_hosts:
                    break
                if not self._active.get(name):
                    evicted.append(self._pools.pop(name))
        for old in evicted:
            old.close()
        return pool

    def _enter(self, host: str, delta: int) -> None:
        with self._lock:
            self._active[host] = self._active.get(host, 0) + delta
            if not self._active[host]:
                del self._active[host]

    def get(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        accept: Iterable[str] = ("*/*",),
        max_redirects: int = MAX_REDIRECTS,
        headers: Mapping[str, str] | None = None,
    ) -> Fetched:
        """GET ``url`` like ``public_get``, sending ``If-None-Match``/``If-Modified-Since``.

        A 304 comes back as a Fetched with status 304 and no body. A body over ``max_bytes``
        is cut and marked ``truncated`` (without reading further when Content-Length says so).
        """
        _, first_host, _ = _split(url)
        deadline = time.monotonic() + self.timeout
        with self._global, self.host_slot(first_host):
            current = url
            for hop in range(max_redirects + 1):
                pin = _pin(current, self._resolve)
                host = pin.host
                # Caller headers (a bearer token) and validators go to the URL asked for only,
                # never to where it redirects.
                sent = {
                    **((headers or {}) if hop == 0 else {}),
                    "Host": pin.host_header,
                    "User-Agent": USER_AGENT,
                    "Accept": ", ".join(accept),
                }
                if hop == 0 and etag:
                    sent["If-None-Match"] = etag
                if hop == 0 and last_modified:
                    sent["If-Modified-Since"] = last_modified
                self._enter(host, 1)
                try:
                    with self._pool(host).stream(
                        "GET", pin.url, headers=sent, extensions={"sni_hostname": host}
                    ) as response:
                        if (
                            response.is_redirect
                            and "location" in response.headers
                            and hop < max_redirects
                        ):
                            current = urljoin(current, response.headers["location"])
                            continue
                        return _fetched(
                            current, response, *self._read_capped(response, deadline, host)
                        )
                except httpx.TimeoutException:
                    raise FetchTimeout(f"{host}: no answer within {self.timeout:g} s") from None
                except httpx.HTTPError as exc:
                    raise FetchFailed(f"{host}: {exc}") from None
                finally:
                    self._enter(host, -1)
        raise FetchFailed(f"More than {max_redirects} redirects from {url}.")

    def _read_capped(
        self, response: httpx.Response, deadline: float, host: str
    ) -> tuple[bytes, bool]:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return b"", True
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                raise FetchTimeout(f"{host}: the answer took longer than {self.timeout:g} s")
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                return b"".join(chunks)[: self.max_bytes], True
        return b"".join(chunks), False
