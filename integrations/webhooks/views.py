"""The public endpoint Stripe posts to: no login, no CSRF token, the signature is the proof."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from integrations.webhooks.models import InboundWebhook, WebhookProvider
from integrations.webhooks.services import stripe_event_receive

MAX_BODY_BYTES = 512 * 1024


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest, token: str) -> JsonResponse:
    hook = get_object_or_404(
        InboundWebhook.objects.select_related("workspace"),
        token=token,
        provider=WebhookProvider.STRIPE,
    )
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"detail": "The event is too large."}, status=413)
    try:
        outcome = stripe_event_receive(
            hook=hook,
            payload=request.body,
            signature=request.headers.get("Stripe-Signature", ""),
        )
    except DomainError as exc:
        return JsonResponse({"detail": exc.message}, status=exc.status)
    return JsonResponse(
        {"status": outcome.status, "detail": outcome.detail, "lead_id": outcome.lead_id}
    )
