"""Configure a workspace's Stripe webhook and turn its signed events into customers."""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.actors import Actor
from crm.errors import DomainError, ValidationFailed
from crm.events import event_record
from crm.models import Lead, Workspace
from crm.normalize import InvalidValue, normalize_email
from integrations.webhooks.models import InboundWebhook, WebhookProvider
from integrations.webhooks.stripe import SignatureInvalid, payment_of, signature_verify
from pipelines.models import RuleRun
from pipelines.services import rule_customer_paid

log = logging.getLogger(__name__)


class WebhookRejected(DomainError):
    """The request is not a genuine event for this endpoint (bad signature, bad body)."""

    status = 400


@dataclass(frozen=True)
class EventOutcome:
    """What happened to one event; returned to Stripe as JSON and shown in its dashboard."""

    status: str  # "customer", "ignored"
    detail: str
    lead_id: int | None = None


def stripe_webhook_configure(*, workspace: Workspace, signing_secret: str) -> InboundWebhook:
    """Store the endpoint's signing secret (Stripe's ``whsec_…``); the URL token stays the same.

    The first call creates the endpoint with a fresh unguessable token; later calls replace
    the secret (when it is rolled in Stripe's dashboard).
    """
    secret = signing_secret.strip()
    if not secret.startswith("whsec_") or len(secret) < 20 or len(secret) > 200:
        raise ValidationFailed.field(
            "signing_secret",
            "Paste the endpoint's signing secret from Stripe's dashboard; it starts with whsec_.",
        )
    hook = InboundWebhook.objects.filter(
        workspace=workspace, provider=WebhookProvider.STRIPE
    ).first()
    if hook is None:
        hook = InboundWebhook(
            workspace=workspace,
            provider=WebhookProvider.STRIPE,
            token=secrets.token_urlsafe(32),
        )
    hook.signing_secret = secret
    hook.save()
    return hook


def stripe_event_receive(
    *, hook: InboundWebhook, payload: bytes, signature: str, now: float | None = None
) -> EventOutcome:
    """Verify one event and, when it reports a payment by a known lead, make that lead a customer.

    Payments go through the pipeline's customer rule, idempotent by the Stripe event id, so a
    retried delivery changes nothing. A payer who is not a lead of the workspace is ignored
    (answered 200, so Stripe stops retrying) and noted on the endpoint.
    """
    try:
        signature_verify(
            payload=payload,
            header=signature,
            secret=hook.signing_secret,
            now=time.time() if now is None else now,
        )
    except SignatureInvalid as exc:
        _note(hook, error=str(exc))
        raise WebhookRejected(str(exc)) from None
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise WebhookRejected("The body is not JSON.") from None
    if not isinstance(event, dict):
        raise WebhookRejected("The body is not a Stripe event.")
    payment = payment_of(event)
    if payment is None:
        _note(hook)
        return EventOutcome("ignored", f"Event type {event.get('type')!r} is not a payment.")
    try:
        email = normalize_email(payment.email)
    except InvalidValue:
        email = None
    lead = (
        Lead.objects.filter(workspace_id=hook.workspace_id, email=email).first() if email else None
    )
    if lead is None:
        _note(hook, error=f"A payment by {email} matched no lead.")
        return EventOutcome("ignored", "No lead in this workspace has the payer's email.")
    actor = Actor.integration("Stripe")
    with transaction.atomic():
        entry = rule_customer_paid(
            lead=lead,
            actor=actor,
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            event_key=f"stripe:{payment.event_id}",
        )
        # A replayed Stripe event (the rule saw its key already) is not a second payment.
        replayed = (
            entry is None
            and RuleRun.objects.filter(
                workspace_id=lead.workspace_id,
                rule="payment",
                event_key=f"stripe:{payment.event_id}",
            ).exists()
        )
        if not replayed:
            event_record(
                type="customer.paid",
                workspace_id=lead.workspace_id,
                actor=actor,
                subject_id=lead.pk,
                data={
                    "payment": {
                        "provider": "stripe",
                        "event_id": payment.event_id,
                        "amount_minor": payment.amount_minor,
                        "currency": (payment.currency or "").upper() or None,
                    }
                },
            )
        _note(hook)
    return EventOutcome("customer", "The payer is a customer.", lead_id=lead.pk)


def _note(hook: InboundWebhook, *, error: str = "") -> None:
    InboundWebhook.objects.filter(pk=hook.pk).update(
        events_received=F("events_received") + 1,
        last_event_at=timezone.now(),
        last_error=error[:300],
    )
