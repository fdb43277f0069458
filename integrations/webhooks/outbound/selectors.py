"""Reads of outbound webhooks, always scoped to a workspace (another one's row is a 404)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from crm.models import Workspace
from integrations.webhooks.outbound.models import WebhookDelivery, WebhookEndpoint


def endpoints_of(*, workspace: Workspace) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(workspace=workspace).order_by("id")


def endpoint_get(*, workspace: Workspace, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, workspace=workspace, pk=endpoint_id)


def deliveries_of(
    *,
    workspace: Workspace,
    endpoint_id: int | None = None,
    status: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[WebhookDelivery]:
    """Newest first; the body is left out (read it from one delivery)."""
    deliveries = WebhookDelivery.objects.filter(workspace=workspace).defer("body")
    if endpoint_id is not None:
        deliveries = deliveries.filter(endpoint_id=endpoint_id)
    if status:
        deliveries = deliveries.filter(status=status)
    if since is not None:
        deliveries = deliveries.filter(created_at__gte=since)
    if until is not None:
        deliveries = deliveries.filter(created_at__lt=until)
    return deliveries.order_by("-created_at", "-id")


def delivery_get(*, workspace: Workspace, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint").prefetch_related("log"),
        workspace=workspace,
        pk=delivery_id,
    )
