"""Endpoint services: create, change, rotate the secret, delete (owners and admins decide)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crm.errors import ValidationFailed
from crm.events import event_types
from crm.models import Workspace
from crm.net.addresses import (
    UnresolvableHost,
    UnsafeAddress,
    checked_address,
    host_allowed_private,
    is_public,
)
from integrations.webhooks.outbound.models import WebhookEndpoint
from integrations.webhooks.outbound.outcome import endpoint_disable
from integrations.webhooks.outbound.signing import secret_generate

ROTATION_OVERLAP = dt.timedelta(hours=24)
MAX_URL_LENGTH = 500


def url_check(url: str) -> str:
    """The URL, if deliveries may go there: https to a public host, or a host (or address)
    on the instance's private allow-list (OUTBOUND_ALLOW_PRIVATE), over http or https."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise ValidationFailed.field("url", f"Give a URL of at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ValidationFailed.field("url", "This is not a valid URL.") from None
    if parts.scheme not in ("https", "http") or not host:
        raise ValidationFailed.field("url", "Webhook URLs start with https://.")
    if parts.username or parts.password:
        raise ValidationFailed.field("url", "Put no user name or password in the URL.")
    try:
        address = checked_address(host, port or (443 if parts.scheme == "https" else 80))
    except UnsafeAddress as exc:
        raise ValidationFailed.field("url", exc.message) from None
    except UnresolvableHost as exc:
        raise ValidationFailed.field("url", str(exc)) from None
    private_ok = host_allowed_private(host) or not is_public(address)
    if parts.scheme == "http" and not private_ok:
        raise ValidationFailed.field("url", "Webhook URLs on the internet must use https://.")
    return url


def event_types_check(names: Iterable[str]) -> list[str]:
    """The types, deduplicated, each a known one; an unknown name is a ValidationFailed."""
    known = {kind.name for kind in event_types()}
    wanted = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ValidationFailed.field(
            "event_types",
            f"Unknown event type{'s' if len(unknown) > 1 else ''}: "
            f"{', '.join(unknown)}. See GET /api/v1/events/types.",
        )
    return wanted


def endpoint_create(
    *,
    workspace: Workspace,
    url: str,
    created_by: User | None,
    description: str = "",
    event_types: Iterable[str] = (),
    include_imported: bool = True,
    source: str = "settings",
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint; returns it and its secret, which is never shown again."""
    types = event_types_check(event_types)
    secret = secret_generate()
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace,
        url=url_check(url),
        description=_description(description),
        event_types=types,
        include_imported=include_imported,
        secret=secret,
        created_by=created_by,
        source=source,
    )
    return endpoint, secret


def _description(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) > 200:
        raise ValidationFailed.field("description", "At most 200 characters.")
    return text


def endpoint_update(*, endpoint: WebhookEndpoint, data: dict[str, Any]) -> WebhookEndpoint:
    """Change the URL, description, types, "include imported leads" or enabled.

    Enabling a disabled endpoint clears its reason and failure streak; deliveries that failed
    meanwhile can be replayed.
    """
    if "url" in data:
        endpoint.url = url_check(data["url"])
    if "description" in data:
        endpoint.description = _description(data["description"])
    if "event_types" in data:
        endpoint.event_types = event_types_check(data["event_types"] or [])
    if "include_imported" in data:
        endpoint.include_imported = bool(data["include_imported"])
    enable = data.get("enabled")
    if enable is True and not endpoint.enabled:
        endpoint.enabled = True
        endpoint.disabled_reason, endpoint.disabled_at = "", None
        endpoint.failing_since = None
    with transaction.atomic():
        endpoint.save()
        if enable is False and endpoint.enabled:
            endpoint_disable(endpoint=endpoint, reason="Disabled by hand.", notify=False)
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, returned once; the previous one keeps signing for 24 hours."""
    secret = secret_generate()
    with transaction.atomic():
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
        endpoint.secret = secret
        endpoint.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
        )
    return secret


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its delivery log."""
    endpoint.delete()


def endpoint_signing_secrets(
    endpoint: WebhookEndpoint, *, now: dt.datetime | None = None
) -> list[str]:
    """The secrets that sign now: the current one, plus the previous during a rotation."""
    now = now or timezone.now()
    live = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > now:
        live.append(endpoint.previous_secret)
    return live
