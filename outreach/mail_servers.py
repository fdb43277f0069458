"""Connections to a mailbox's SMTP and IMAP servers, at addresses the public-address rule allows.

A user types these hosts, so without a check a mailbox could make Kindling dial the cloud
metadata service or a port on this machine. The host is resolved once, every answer is checked
(``crm.net.addresses``, allow-list ``settings.OUTBOUND_ALLOW_PRIVATE``) and the socket goes to one
of the checked addresses, so a DNS answer that changes in between cannot lead elsewhere. TLS
still names the host: SNI and the certificate check use the name the user gave.
"""

from __future__ import annotations

import functools
import imaplib
import smtplib
import socket
import ssl
from typing import Any

from django.core.mail.backends.smtp import EmailBackend

from crm.net.addresses import UnresolvableHost, checked_address, system_resolve


def server_addresses(host: str, port: int, *, field: str) -> list[str]:
    """Every address of ``host``, all of them allowed; else UnsafeAddress or UnresolvableHost."""
    name = host.strip().strip("[]")
    if not name:
        raise UnresolvableHost("No server is set.")
    addresses = system_resolve(name, port)
    # The answers just fetched are the ones judged: no second lookup that could differ.
    checked_address(name, port, resolve=lambda _host, _port: addresses, field=field)
    return addresses


def tls_failure(host: str, exc: ssl.SSLError) -> str:
    """Why TLS failed, in OpenSSL's short reason code (ours, never the server's text)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"TLS with {host} failed: its certificate could not be verified "
            f"({exc.reason}: {exc.verify_message})."
        )
    return f"TLS with {host} failed ({exc.reason or 'handshake refused'})."


def _connect(
    addresses: list[str], port: int, timeout: float | None, source: Any = None
) -> socket.socket:
    """A socket to the first of the checked addresses that answers (as create_connection does)."""
    failure: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout, source)
        except OSError as exc:
            failure = exc
    raise failure


class _CheckedSMTP(smtplib.SMTP):
    def __init__(self, host: str, port: int, *, addresses: list[str], **kwargs: Any) -> None:
        self._addresses = addresses
        super().__init__(host, port, **kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return _connect(self._addresses, port, timeout, self.source_address)


class _CheckedSMTPSSL(smtplib.SMTP_SSL):
    def __init__(self, host: str, port: int, *, addresses: list[str], **kwargs: Any) -> None:
        self._addresses = addresses
        super().__init__(host, port, **kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = _connect(self._addresses, port, timeout, self.source_address)
        return self.context.wrap_socket(sock, server_hostname=self._host)  # type: ignore[attr-defined]


class CheckedEmailBackend(EmailBackend):
    """Django's SMTP backend, dialling only ``addresses`` (STARTTLS still verifies ``host``)."""

    def __init__(self, *, addresses: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.addresses = addresses

    @property
    def connection_class(self) -> Any:
        smtp = _CheckedSMTPSSL if self.use_ssl else _CheckedSMTP
        return functools.partial(smtp, addresses=self.addresses)


class _CheckedIMAP4(imaplib.IMAP4):
    def __init__(self, host: str, port: int, *, addresses: list[str], timeout: float) -> None:
        self._addresses = addresses
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        return _connect(self._addresses, self.port, timeout)


class _CheckedIMAP4SSL(imaplib.IMAP4_SSL):
    def __init__(
        self,
        host: str,
        port: int,
        *,
        addresses: list[str],
        ssl_context: ssl.SSLContext,
        timeout: float,
    ) -> None:
        self._addresses = addresses
        super().__init__(host, port, ssl_context=ssl_context, timeout=timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        sock = _connect(self._addresses, self.port, timeout)
        return self.ssl_context.wrap_socket(sock, server_hostname=self.host)


def checked_imap(
    host: str, port: int, *, addresses: list[str], implicit_tls: bool, timeout: float
) -> imaplib.IMAP4:
    """An IMAP connection to ``addresses`` (implicit TLS verifying ``host`` when asked)."""
    if implicit_tls:
        return _CheckedIMAP4SSL(
            host,
            port,
            addresses=addresses,
            ssl_context=ssl.create_default_context(),
            timeout=timeout,
        )
    return _CheckedIMAP4(host, port, addresses=addresses, timeout=timeout)
