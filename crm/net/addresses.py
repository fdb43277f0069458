"""The public-address rule for every connection to a host a user (or a DNS record) gave us.

HTTP fetches, webhook deliveries, SMTP and IMAP servers and DNS resolvers must never reach this
machine or its private network (the cloud metadata service, the database, an admin page on
localhost) unless the instance's admin allowed it: ``settings.OUTBOUND_ALLOW_PRIVATE`` lists host
names, addresses or CIDR ranges that may be private anyway (an on-premise server, the tests'
loopback servers). A name is resolved once and the caller connects to the address that was
checked, so a DNS answer that changes in between (rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from django.conf import settings

from crm.errors import ValidationFailed

Resolve = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeAddress(ValidationFailed):
    """The host leads to a private, loopback, link-local or otherwise internal address."""


class UnresolvableHost(Exception):
    """The host name has no address (the caller decides whether that is an error)."""


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UnresolvableHost(f"{host} does not resolve: {reason}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _parse(address: str) -> IPAddress:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 judged as its IPv4)."""
    ip = _parse(address)
    return ip.is_global and not ip.is_multicast


def _allow_list() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    names: set[str] = set()
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for raw in getattr(settings, "OUTBOUND_ALLOW_PRIVATE", []) or []:
        entry = raw.strip().lower().strip("[]")
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.rstrip("."))
    return names, networks


def host_allowed_private(host: str) -> bool:
    """Whether the admin listed this host name (not an address) as allowed although private."""
    names, _ = _allow_list()
    return host.lower().rstrip(".") in names


def address_allowed(address: str) -> bool:
    """Whether the connection may go to ``address``: public, or inside the allow-list."""
    ip = _parse(address)
    if ip.is_global and not ip.is_multicast:
        return True
    _, networks = _allow_list()
    raw = ipaddress.ip_address(address.split("%", 1)[0])
    return any(ip in net or raw in net for net in networks if net.version in (4, 6))


def checked_address(
    host: str, port: int, *, resolve: Resolve = system_resolve, field: str = "url"
) -> str:
    """The address to connect to for ``host``: every answer must be allowed, else UnsafeAddress.

    Unusual spellings of an address (``2130706433``, ``0x7f000001``, ``127.1``) are resolved by
    the system like any name, so they are judged by the address they really mean.
    """
    host = host.strip().strip("[]")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host, port)
    if not addresses:
        raise UnresolvableHost(f"{host} has no address.")
    if host_allowed_private(host):
        return addresses[0]
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise UnsafeAddress.field(
            field, f"{host} points to a private or internal address ({refused[0]}); refused."
        )
    return addresses[0]
