"""Hand a message to the mailbox's SMTP server (Django's SMTP backend) or keep it (capture).

Errors are sorted by what they mean for the message:
- ``transient``: nothing was accepted (4xx, refused connection, timeout at connect) → retry;
- ``permanent``: the server refused it for good (5xx) → fail the message, never retry;
- ``auth``: the login was refused → pause the mailbox;
- ``ambiguous``: the connection died while the message was being handed over; the server may
  have it → the message is ``unknown`` and never resent;
- ``unsafe``: the server's address is private or internal and not allowed → pause the mailbox.

A failure to connect or log in is told in our own words (never the server's banner or raw
error text), and the connection only goes to an address the public-address rule allows.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from django.core.mail.backends.smtp import EmailBackend

from crm.net.addresses import UnresolvableHost, UnsafeAddress
from outreach.mail_servers import CheckedEmailBackend, server_addresses, tls_failure
from outreach.models import Mailbox, Security, Transport
from outreach.sending.mime import envelope_address, envelope_recipients, needs_smtputf8

SMTP_TIMEOUT = 30


class DeliveryError(Exception):
    def __init__(self, kind: str, message: str, code: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.message = message


@dataclass
class _Open:
    backend: EmailBackend
    fingerprint: tuple
    last_used: float


# One reusable SMTP connection per mailbox per worker thread: a worker sending many messages
# through a mailbox pays the TLS handshake and the login once.
_local = threading.local()


def _fingerprint(mailbox: Mailbox) -> tuple:
    return (
        mailbox.smtp_host,
        mailbox.smtp_port,
        mailbox.smtp_security,
        mailbox.smtp_username,
        mailbox.smtp_password,
    )


def _by_code(code: int, text: str) -> DeliveryError:
    return DeliveryError("transient" if 400 <= code < 500 else "permanent", text, code)


def _decode(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)


def open_connection(mailbox: Mailbox) -> EmailBackend:
    """This thread's logged-in connection to the mailbox's SMTP server (reused while alive)."""
    pool: dict[int, _Open] = _local.__dict__.setdefault("pool", {})
    held = pool.get(mailbox.pk)
    if held and held.fingerprint == _fingerprint(mailbox):
        try:
            # A server closes idle connections; a NOOP now tells a dead connection apart from a
            # failure in the middle of a send (which would be ambiguous).
            if held.backend.connection and held.backend.connection.noop()[0] == 250:
                held.last_used = time.monotonic()
                return held.backend
        except (smtplib.SMTPException, OSError):
            pass
    if held:
        close(mailbox.pk)
    backend = CheckedEmailBackend(
        addresses=_addresses(mailbox),
        host=mailbox.smtp_host.strip(),
        port=mailbox.smtp_port,
        username=mailbox.smtp_username or None,
        password=mailbox.smtp_password or None,
        use_tls=mailbox.smtp_security == Security.STARTTLS,
        use_ssl=mailbox.smtp_security == Security.SSL,
        timeout=SMTP_TIMEOUT,
        fail_silently=False,
    )
    try:
        backend.open()
    except smtplib.SMTPAuthenticationError as exc:
        code = exc.smtp_code
        message = f"Authentication refused by the SMTP server ({code})."
        raise DeliveryError("auth", message, code) from None
    except smtplib.SMTPNotSupportedError as exc:  # smtplib's own words, not the server's
        raise DeliveryError("transient", f"The SMTP server cannot be used: {exc}") from None
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected):
        raise DeliveryError("transient", _unreachable(mailbox)) from None
    except smtplib.SMTPResponseException as exc:
        code = exc.smtp_code
        message = f"The SMTP server refused the session ({code})."
        raise DeliveryError("transient", message, code) from None
    except ssl.SSLError as exc:
        raise DeliveryError("transient", tls_failure(mailbox.smtp_host, exc)) from None
    except (smtplib.SMTPException, OSError):
        raise DeliveryError("transient", _unreachable(mailbox)) from None
    pool[mailbox.pk] = _Open(backend, _fingerprint(mailbox), time.monotonic())
    return backend


def _addresses(mailbox: Mailbox) -> list[str]:
    """The checked addresses of the mailbox's SMTP server, or the reason it may not be used."""
    try:
        return server_addresses(mailbox.smtp_host, mailbox.smtp_port, field="smtp_host")
    except UnsafeAddress as exc:
        raise DeliveryError("unsafe", exc.message) from None
    except UnresolvableHost as exc:
        raise DeliveryError("transient", f"Could not connect to the SMTP server: {exc}") from None


def _unreachable(mailbox: Mailbox) -> str:
    return f"Could not connect to the SMTP server {mailbox.smtp_host}:{mailbox.smtp_port}."


def close(mailbox_id: int) -> None:
    pool: dict[int, _Open] = _local.__dict__.setdefault("pool", {})
    held = pool.pop(mailbox_id, None)
    if held:
        with contextlib.suppress(Exception):
            held.backend.close()


def deliver(mailbox: Mailbox, email: EmailMessage) -> bytes:
    """Send (or capture) the email; returns the exact bytes. Raises DeliveryError."""
    raw = email.as_bytes()  # 7-bit clean with CRLF line ends (outreach.sending.mime)
    if mailbox.transport == Transport.CAPTURE:
        return raw
    backend = open_connection(mailbox)
    assert backend.connection is not None  # open_connection raises rather than leave it None
    recipients = envelope_recipients(email)
    if not recipients:
        raise DeliveryError("permanent", "The email has no recipient address.")
    options = _mail_options(mailbox, backend.connection, email)
    try:
        refused = backend.connection.sendmail(
            envelope_address(mailbox.address), recipients, raw, options
        )
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        raise _by_code(code, f"{code} {_decode(text)}") from None
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        close(mailbox.pk) if exc.smtp_code >= 500 else None
        raise _by_code(exc.smtp_code, f"{exc.smtp_code} {_decode(exc.smtp_error)}") from None
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        close(mailbox.pk)
        raise DeliveryError("ambiguous", f"Connection lost while sending: {exc}") from None
    except smtplib.SMTPResponseException as exc:
        close(mailbox.pk)
        raise _by_code(exc.smtp_code, f"{exc.smtp_code} {_decode(exc.smtp_error)}") from None
    if refused:  # only possible with several recipients; we always send to one
        code, text = next(iter(refused.values()))
        raise _by_code(code, f"{code} {_decode(text)}")
    return raw


def _mail_options(mailbox: Mailbox, connection: smtplib.SMTP, email: EmailMessage) -> list[str]:
    """MAIL FROM parameters: none for a 7-bit message; SMTPUTF8 when an address needs it."""
    if not needs_smtputf8(email):
        return []
    try:
        connection.ehlo_or_helo_if_needed()
    except (smtplib.SMTPException, OSError):
        close(mailbox.pk)
        raise DeliveryError("transient", _unreachable(mailbox)) from None
    if not connection.has_extn("smtputf8"):
        raise DeliveryError(
            "permanent",
            f"An address of this email has non-ASCII characters before the @, which only a "
            f"server offering SMTPUTF8 (RFC 6531) can take, and the SMTP server "
            f"{mailbox.smtp_host} does not offer it.",
        )
    return ["SMTPUTF8", "BODY=8BITMIME"]
