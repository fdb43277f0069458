"""The one HTTP client for URLs that users or DNS records give us (MTA-STS policies, feeds…).

Such a URL must never reach this machine or its private network (the cloud metadata service,
the database, an admin page on localhost): every address the name resolves to must be public,
and the connection goes to the address that was checked — the IP is pinned, with the original
name kept for the Host header, SNI and certificate checks — so a DNS answer that changes between
the check and the connection (DNS rebinding) cannot slip through. Redirects are followed by hand,
each hop checked the same way, and bodies are read up to a size limit.

``settings.OUTBOUND_HTTP_ALLOW_PRIVATE`` lists hosts or addresses that may be private anyway
(an on-premise server, the tests' loopback server); empty by default.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

from crm.errors import ValidationFailed

Resolve = Callable[[str, int], list[str]]
MAX_REDIRECTS = 3
USER_AGENT = "Kindling/1.0 (+https://github.com/kindling-crm)"


class UnsafeURL(ValidationFailed):
    """The URL is not http(s), or leads to a private, loopback or otherwise internal address."""


class FetchFailed(Exception):
    """The server could not be reached or answered badly (the caller decides what that means)."""


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


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchFailed(f"{host} does not resolve: {exc.strerror}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _allowed_private() -> set[str]:
    return {h.strip().lower() for h in getattr(settings, "OUTBOUND_HTTP_ALLOW_PRIVATE", []) if h}


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _checked_address(host: str, port: int, resolve: Resolve) -> str:
    """The address to connect to: every answer must be public, unless the host is allowed."""
    allowed = _allowed_private()
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host, port)
    if not addresses:
        raise FetchFailed(f"{host} has no address.")
    if host.lower() in allowed:
        return addresses[0]
    private = [a for a in addresses if not _is_public(a) and a not in allowed]
    if private:
        raise UnsafeURL.field(
            "url", f"{host} points to a private or internal address ({private[0]}); refused."
        )
    return addresses[0]


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
            scheme, host, port = _split(current)
            address = _checked_address(host, port, resolve)
            parts = urlsplit(current)
            literal = f"[{address}]" if ":" in address else address
            pinned = urlunsplit((scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
            headers = {
                "Host": parts.netloc.rsplit("@", 1)[-1],
                "User-Agent": USER_AGENT,
                "Accept": ", ".join(accept),
            }
            try:
                with client.stream(
                    "GET", pinned, headers=headers, extensions={"sni_hostname": host}
                ) as response:
                    if (
                        response.is_redirect
                        and "location" in response.headers
                        and hop < max_redirects
                    ):
                        current = urljoin(current, response.headers["location"])
                        continue
                    body, truncated = _read(response, max_bytes)
                    return Fetched(
                        url=current,
                        status=response.status_code,
                        headers={k.lower(): v for k, v in response.headers.items()},
                        body=body,
                        truncated=truncated,
                    )
            except httpx.HTTPError as exc:
                raise FetchFailed(f"{host}: {exc}") from None
    raise FetchFailed(f"More than {max_redirects} redirects from {url}.")


def _read(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False
