"""Endpoints that listen to a workspace's events, and each message's deliveries and attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from crm.crypto import EncryptedTextField
from crm.models import Workspace


class WebhookEndpoint(models.Model):
    """A URL that receives a workspace's events, signed with the endpoint's own secret.

    ``event_types`` empty means every type. While a secret is rotated, ``previous_secret``
    still signs (both signatures are sent) until ``previous_secret_expires_at``. Secrets are
    encrypted at rest and shown once. ``failing_since`` marks the first failure after the last
    success; an endpoint failing for WEBHOOK_DISABLE_AFTER_DAYS is disabled with a reason.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(default=list, blank=True)
    include_imported = models.BooleanField(default=True)
    enabled = models.BooleanField(default=True)
    secret = EncryptedTextField()
    previous_secret = EncryptedTextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "rest_hook" for subscriptions made by Zapier/Make through POST /api/v1/hooks.
    source = models.CharField(max_length=16, default="settings")
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "enabled"], name="webhook_endpoint_ws")]

    def __str__(self) -> str:
        return self.url

    def listens_to(self, event_type: str, *, origin: str = "") -> bool:
        """Whether an event of this type (and origin) is sent to this endpoint."""
        if origin == "import" and not self.include_imported:
            return False
        return not self.event_types or event_type in self.event_types


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One message for one endpoint, sent until a 2xx or until the retries run out.

    ``msg_id`` is the ``webhook-id`` header, the same on every attempt (receivers deduplicate
    on it): ``evt_<event id>``, or ``evt_<event id>_<subject id>`` for one subject of a batch
    event. ``body`` is built once, so every attempt sends the same bytes. A worker leases due
    rows by setting ``claimed_at``/``claimed_by`` (no row lock is held while the receiver
    answers); a lease older than the lease timeout is taken over, which is how a delivery
    interrupted by a killed worker is sent again with the same id.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.BigIntegerField(null=True, blank=True)
    event_type = models.CharField(max_length=64)
    msg_id = models.CharField(max_length=80)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "msg_id"], name="webhook_delivery_msg")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["workspace", "-created_at"], name="webhook_delivery_ws"),
            models.Index(fields=["endpoint", "status", "created_at"], name="webhook_delivery_ep"),
        ]

    def __str__(self) -> str:
        return f"{self.msg_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered (or why there was no answer)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["delivery", "started_at"], name="webhook_attempt_dlv")]

    def __str__(self) -> str:
        return f"attempt of {self.delivery_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
