"""/webhooks/stripe: connect a workspace's Stripe account so payments make leads customers."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from ninja import Router, Schema

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from integrations.webhooks.models import InboundWebhook, WebhookProvider
from integrations.webhooks.services import stripe_webhook_configure
from pipelines.permissions import require_admin

router = Router(tags=["webhooks"])


class StripeWebhookIn(Schema):
    signing_secret: str


class StripeWebhookOut(Schema):
    configured: bool
    url: str | None = None
    events_received: int = 0
    last_event_at: datetime | None = None
    last_error: str = ""


def _out(hook: InboundWebhook | None) -> StripeWebhookOut:
    if hook is None:
        return StripeWebhookOut(configured=False)
    path = reverse("webhooks:stripe", kwargs={"token": hook.token})
    return StripeWebhookOut(
        configured=True,
        url=settings.SITE_URL + path,
        events_received=hook.events_received,
        last_event_at=hook.last_event_at,
        last_error=hook.last_error,
    )


@router.get(
    "/webhooks/stripe",
    response={200: StripeWebhookOut},
    summary="The Stripe webhook endpoint of this workspace",
    description="The URL to paste in Stripe's dashboard (events: checkout.session.completed, "
    "invoice.paid, charge.succeeded) and what it received. The signing secret is never returned.",
)
def stripe_webhook_get(request: ApiRequest):
    hook = InboundWebhook.objects.filter(
        workspace=request.workspace, provider=WebhookProvider.STRIPE
    ).first()
    return _out(hook)


@router.put(
    "/webhooks/stripe",
    response={200: StripeWebhookOut, **errors(403, 422)},
    summary="Set the Stripe endpoint's signing secret",
    description="Owners and admins. Creates the endpoint on first use; a new secret replaces "
    "the old one and keeps the URL.",
)
def stripe_webhook_put(request: ApiRequest, payload: StripeWebhookIn):
    require_admin(workspace=request.workspace, user=request.user)
    hook = stripe_webhook_configure(
        workspace=request.workspace, signing_secret=payload.signing_secret
    )
    return _out(hook)
