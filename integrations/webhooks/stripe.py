"""Stripe's webhook signature and the events that mean "this lead has paid".

Stripe signs ``"{timestamp}.{raw body}"`` with HMAC-SHA256 under the endpoint's signing secret
and sends ``Stripe-Signature: t=<timestamp>,v1=<hex>[,v1=<hex>…]`` (several v1 while a secret
is being rolled). An old timestamp is refused so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

TOLERANCE_SECONDS = 300


class SignatureInvalid(Exception):
    """The request was not signed by Stripe with this endpoint's secret (or is too old)."""


def signature_header(*, payload: bytes, secret: str, timestamp: int) -> str:
    """The header Stripe would send for ``payload`` (used by tests and by people debugging)."""
    return f"t={timestamp},v1={_sign(payload, secret, timestamp)}"


def _sign(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_verify(*, payload: bytes, header: str, secret: str, now: float) -> None:
    """Raise SignatureInvalid unless one v1 signature matches and the timestamp is recent."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureInvalid("The Stripe-Signature header has no timestamp or no v1 signature.")
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise SignatureInvalid("The event's timestamp is more than 5 minutes away from now.")
    expected = _sign(payload, secret, timestamp)
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureInvalid("No signature matches this endpoint's signing secret.")


@dataclass(frozen=True)
class Payment:
    """What a paid event tells us: who paid, how much (minor units) and in which currency."""

    event_id: str
    email: str
    amount_minor: int | None
    currency: str | None


def payment_of(event: dict[str, Any]) -> Payment | None:
    """The payment an event reports, or None for events that do not mean "paid"."""
    kind = event.get("type")
    obj = (event.get("data") or {}).get("object") or {}
    if not isinstance(obj, dict):
        return None
    if kind == "checkout.session.completed":
        if obj.get("payment_status") not in ("paid", "no_payment_required"):
            return None
        email = (obj.get("customer_details") or {}).get("email") or obj.get("customer_email")
        amount = obj.get("amount_total")
    elif kind == "invoice.paid":
        email = obj.get("customer_email")
        amount = obj.get("amount_paid")
    elif kind == "charge.succeeded":
        email = (obj.get("billing_details") or {}).get("email") or obj.get("receipt_email")
        amount = obj.get("amount")
    elif kind == "payment_intent.succeeded":
        email = obj.get("receipt_email")
        amount = obj.get("amount_received")
    else:
        return None
    if not isinstance(email, str) or not email.strip():
        return None
    currency = obj.get("currency")
    return Payment(
        event_id=str(event.get("id") or ""),
        email=email,
        amount_minor=amount if isinstance(amount, int) and amount >= 0 else None,
        currency=currency.upper() if isinstance(currency, str) and len(currency) == 3 else None,
    )
