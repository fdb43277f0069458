"""Hand a message to the mailbox's SMTP server (Django's SMTP backend) or keep it (capture).

Errors are sorted by what they mean for the message:
- ``transient``: nothing was accepted (4xx, refused connection, timeout at connect) → retry;
- ``permanent``: the server refused it for good (5xx) → fail the message, never retry;
- ``auth``: the login was refused → pause the mailbox;
- ``ambiguous``: the connection died while the message was being handed over; the server may
  have it → the message is ``unknown`` and never resent.
"""

from __future__ import annotations

import contextlib
import smtplib
import threading
import time
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend

from outreach.models import Mailbox, Security, Transport

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
    backend = EmailBackend(
        host=mailbox.smtp_host,
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
        raise DeliveryError(
            "auth", f"{exc.smtp_code} {_decode(exc.smtp_error)}", exc.smtp_code
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            "transient", f"{exc.smtp_code} {_decode(exc.smtp_error)}", exc.smtp_code
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError("transient", f"Cannot connect to {mailbox.smtp_host}: {exc}") from None
    pool[mailbox.pk] = _Open(backend, _fingerprint(mailbox), time.monotonic())
    return backend


def close(mailbox_id: int) -> None:
    pool: dict[int, _Open] = _local.__dict__.setdefault("pool", {})
    held = pool.pop(mailbox_id, None)
    if held:
        with contextlib.suppress(Exception):
            held.backend.close()


def deliver(mailbox: Mailbox, email: EmailMultiAlternatives) -> bytes:
    """Send (or capture) the email; returns the exact bytes. Raises DeliveryError."""
    # Django's MIME classes take linesep; SMTP wants CRLF line ends on the wire.
    raw = email.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    if mailbox.transport == Transport.CAPTURE:
        return raw
    backend = open_connection(mailbox)
    assert backend.connection is not None  # open_connection raises rather than leave it None
    try:
        refused = backend.connection.sendmail(mailbox.address, email.recipients(), raw)
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
