"""Workspace pages of outbound webhooks: endpoints, one endpoint's settings and delivery log,
and the buttons (rotate the secret, send a test event, replay). Owners and admins change
things; every member may read the log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from crm.errors import DomainError, ValidationFailed
from crm.events import event_types
from crm.web.access import signed_in_user, workspace_view
from integrations.webhooks.outbound.endpoints import (
    endpoint_create,
    endpoint_delete,
    endpoint_rotate_secret,
    endpoint_update,
)
from integrations.webhooks.outbound.models import WebhookEndpoint
from integrations.webhooks.outbound.passes import deliveries_send_due
from integrations.webhooks.outbound.permissions import require_webhook_admin
from integrations.webhooks.outbound.replay import (
    deliveries_replay_failed,
    delivery_replay,
    endpoint_send_test,
)
from integrations.webhooks.outbound.selectors import (
    deliveries_of,
    delivery_get,
    endpoint_get,
    endpoints_of,
)

SECRET_ONCE = "kindling_webhook_secret_once"
LOG_ROWS = 50


def _is_admin(request: HttpRequest) -> bool:
    return request.membership.role in ("owner", "admin")  # type: ignore[attr-defined]


def _form_data(request: HttpRequest) -> dict[str, Any]:
    return {
        "url": request.POST.get("url", ""),
        "description": request.POST.get("description", ""),
        "event_types": request.POST.getlist("event_types"),
        "include_imported": request.POST.get("include_imported") == "on",
    }


@workspace_view
def endpoints_page(request: HttpRequest) -> HttpResponse:
    """GET lists the endpoints; POST (owners, admins) adds one and shows its secret once."""
    workspace = request.workspace  # type: ignore[attr-defined]
    errors: dict[str, list[str]] = {}
    status = 200
    form: dict[str, Any] = {"include_imported": True}
    if request.method == "POST":
        form = _form_data(request)
        try:
            require_webhook_admin(workspace=workspace, user=signed_in_user(request))
            endpoint, secret = endpoint_create(
                workspace=workspace, created_by=signed_in_user(request), **form
            )
        except DomainError as exc:
            errors = exc.errors or {"general": [exc.message]}
            status = exc.status
        else:
            request.session[SECRET_ONCE] = {"id": endpoint.pk, "secret": secret}
            return redirect(
                "integrations_webhooks:endpoint", ws=workspace.slug, endpoint_id=endpoint.pk
            )
    return render(
        request,
        "integrations/webhooks/endpoints.html",
        {
            "endpoints": endpoints_of(workspace=workspace),
            "types": event_types(),
            "form": form,
            "errors": errors,
            "is_admin": _is_admin(request),
        },
        status=status,
    )


@workspace_view
def endpoint_page(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """An endpoint: its settings (POST changes them) and its latest deliveries with attempts."""
    workspace = request.workspace  # type: ignore[attr-defined]
    endpoint = endpoint_get(workspace=workspace, endpoint_id=endpoint_id)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            require_webhook_admin(workspace=workspace, user=signed_in_user(request))
            data = _form_data(request)
            data["enabled"] = request.POST.get("enabled") == "on"
            endpoint_update(endpoint=endpoint, data=data)
        except DomainError as exc:
            errors = exc.errors or {"general": [exc.message]}
            status = exc.status
        else:
            messages.success(request, "The endpoint is saved.")
            return redirect(
                "integrations_webhooks:endpoint", ws=workspace.slug, endpoint_id=endpoint.pk
            )
    once = request.session.pop(SECRET_ONCE, None)
    new_secret = once["secret"] if once and once.get("id") == endpoint.pk else None
    deliveries = list(
        deliveries_of(workspace=workspace, endpoint_id=endpoint.pk).prefetch_related("log")[
            :LOG_ROWS
        ]
    )
    return render(
        request,
        "integrations/webhooks/endpoint.html",
        {
            "endpoint": endpoint,
            "deliveries": deliveries,
            "types": event_types(),
            "errors": errors,
            "new_secret": new_secret,
            "is_admin": _is_admin(request),
            "replay_since": (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        status=status,
    )


def _back(endpoint: WebhookEndpoint) -> HttpResponse:
    return redirect(
        "integrations_webhooks:endpoint", ws=endpoint.workspace.slug, endpoint_id=endpoint.pk
    )


def _moment(raw: str, field: str) -> dt.datetime | None:
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise ValidationFailed.field(field, "A date and time, e.g. 2026-12-01T09:00.")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@require_POST
@workspace_view
def endpoint_action(request: HttpRequest, endpoint_id: int, action: str) -> HttpResponse:
    """The endpoint's buttons: rotate-secret, test, replay (a time range), delete."""
    workspace = request.workspace  # type: ignore[attr-defined]
    endpoint = endpoint_get(workspace=workspace, endpoint_id=endpoint_id)
    try:
        require_webhook_admin(workspace=workspace, user=signed_in_user(request))
        if action == "rotate-secret":
            secret = endpoint_rotate_secret(endpoint=endpoint)
            request.session[SECRET_ONCE] = {"id": endpoint.pk, "secret": secret}
            messages.success(request, "New secret below; the previous one signs for 24 hours.")
        elif action == "test":
            delivery = endpoint_send_test(endpoint=endpoint)
            counts = deliveries_send_due(ids=[delivery.pk], senders=1)
            if counts.delivered:
                messages.success(request, "The test event was delivered.")
            else:
                messages.error(request, "The test event failed; see the log below.")
        elif action == "replay":
            since = _moment(request.POST.get("since", ""), "since")
            if since is None:
                raise ValidationFailed.field("since", "Give the start of the range.")
            until = _moment(request.POST.get("until", ""), "until")
            queued = deliveries_replay_failed(endpoint=endpoint, since=since, until=until)
            messages.success(
                request, f"{queued} failed deliver{'y' if queued == 1 else 'ies'} queued again."
            )
        elif action == "delete":
            endpoint_delete(endpoint=endpoint)
            messages.success(request, f"The endpoint {endpoint.url} is deleted.")
            return redirect("integrations_webhooks:endpoints", ws=workspace.slug)
        else:
            return HttpResponse(status=404)
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(endpoint)


@require_POST
@workspace_view
def delivery_replay_page(request: HttpRequest, delivery_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    delivery = delivery_get(workspace=workspace, delivery_id=delivery_id)
    try:
        require_webhook_admin(workspace=workspace, user=signed_in_user(request))
        delivery_replay(delivery=delivery)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{delivery.msg_id} is queued again.")
    return _back(delivery.endpoint)
