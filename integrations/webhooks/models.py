"""Inbound webhook endpoints: where a provider (Stripe) posts events for one workspace."""

from __future__ import annotations

from django.db import models

from crm.crypto import EncryptedTextField
from crm.models import Workspace


class WebhookProvider(models.TextChoices):
    STRIPE = "stripe", "Stripe"


class InboundWebhook(models.Model):
    """One provider's endpoint in a workspace.

    The URL carries an unguessable ``token`` that picks the workspace; every event must also
    carry the provider's signature made with ``signing_secret`` (encrypted at rest, never
    returned), so knowing the URL alone is not enough to make a lead a customer.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="inbound_webhooks"
    )
    provider = models.CharField(max_length=20, choices=WebhookProvider.choices)
    token = models.CharField(max_length=64, unique=True)
    signing_secret = EncryptedTextField()
    events_received = models.PositiveIntegerField(default=0)
    last_event_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "provider"], name="inbound_webhook_one_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} webhook of {self.workspace_id}"
