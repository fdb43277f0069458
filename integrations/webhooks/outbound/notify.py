"""Telling an endpoint's creator that it was disabled: an email through the system mail.

An email rather than a task: the person who wired an automation is often not in the CRM every
day, and a silent, broken integration is what they need to hear about (as Stripe and Svix do).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from integrations.webhooks.outbound.models import WebhookEndpoint


def endpoint_disabled_notify(*, endpoint: WebhookEndpoint) -> bool:
    """Mail the creator (if they have an address); returns whether a mail was sent."""
    creator = endpoint.created_by
    if creator is None or not creator.email:
        return False
    workspace = endpoint.workspace
    page = settings.SITE_URL + reverse(
        "integrations_webhooks:endpoint", kwargs={"ws": workspace.slug, "endpoint_id": endpoint.pk}
    )
    send_mail(
        subject=f"[Kindling] Webhook disabled: {endpoint.url}",
        message=(
            f"The webhook endpoint {endpoint.url} of the workspace {workspace.name} was "
            f"disabled.\n\nReason: {endpoint.disabled_reason}\n\n"
            "No events are sent to it until it is enabled again; failed deliveries can be "
            f"replayed from its page:\n{page}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[creator.email],
        fail_silently=True,
    )
    return True
