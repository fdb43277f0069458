"""Standard Webhooks signatures: ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``.

Secrets are shown as ``whsec_`` + base64 of 32 random bytes; the HMAC key is the decoded
bytes, as every Standard Webhooks verifier expects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def secret_generate() -> str:
    """A new endpoint secret, ``whsec_…`` (shown to its owner once)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,…`` entry of the ``webhook-signature`` header."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(*, secrets_: Iterable[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The header value: one signature per live secret, space-separated (during a rotation the
    receiver may still hold the previous secret)."""
    return " ".join(
        signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_ if s
    )


def webhook_headers(
    *, secrets_: Iterable[str], msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The headers of one attempt: the same id on every retry, this attempt's timestamp."""
    return {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            secrets_=secrets_, msg_id=msg_id, timestamp=timestamp, body=body
        ),
    }
