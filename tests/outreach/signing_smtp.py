"""A provider's submission server for tests: signs with DKIM (dkimpy) and delivers over IMAP.

A real aiosmtpd server on loopback, with the same login as ``smtp_server.SmtpServer``. On DATA it
prepends a real ``DKIM-Signature`` for ``signer = (domain, selector)`` (none when ``signer`` is
None) and APPENDs the message to the Dovecot INBOX of each recipient listed in ``mailboxes``
(address → IMAP user), as final delivery would; a recipient not listed gets nothing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.outreach.imap_server import ImapServer
from tests.outreach.smtp_server import SmtpServer


def rsa_key_pair() -> tuple[bytes, bytes]:
    """(PEM private key, the p= value of its DNS record)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, base64.b64encode(public)


@dataclass
class SigningHandler:
    imap: ImapServer
    private_key: bytes
    signer: tuple[str, str] | None = None  # (d=, s=)
    mailboxes: dict[str, str] = field(default_factory=dict)
    delivered: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if self.signer is not None:
            domain, selector = self.signer
            raw = (
                dkim.sign(
                    raw,
                    selector.encode(),
                    domain.encode(),
                    self.private_key,
                    include_headers=[b"from", b"to", b"subject", b"message-id", b"date"],
                )
                + raw
            )
        for rcpt in envelope.rcpt_tos:
            user = self.mailboxes.get(rcpt.lower())
            if user is not None:
                self.imap.append(user, raw)
                self.delivered.append(raw)
        return "250 2.0.0 Queued"


class SigningSmtpServer(SmtpServer):
    """The provider's submission server: signs with DKIM, then delivers into Dovecot."""

    def __init__(self, imap: ImapServer, private_key: bytes) -> None:
        super().__init__(handler=SigningHandler(imap, private_key))
