"""Which model a workspace talks to: the instance defaults with the workspace's overrides."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from crm.errors import Conflict, ValidationFailed
from crm.net.addresses import UnresolvableHost, checked_address
from integrations.ai.models import AiSettings


class AiDisabled(Conflict):
    """The workspace has not turned AI on: nothing may be sent to a model."""


@dataclass(frozen=True)
class Connection:
    base_url: str
    api_key: str
    model: str
    timeout: float
    structured: bool


def base_url_check(url: str) -> str:
    """``url`` if it is http(s) with a host, else ValidationFailed on ``base_url``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed.field("base_url", "An http:// or https:// URL, e.g. …/v1.")
    return url.strip().rstrip("/")


def address_check(url: str) -> None:
    """The public-address rule for a user-given base URL (the tests allow their loopback stub
    through OUTBOUND_ALLOW_PRIVATE). Raises UnsafeAddress or ValidationFailed."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        checked_address(parts.hostname or "", port, field="base_url")
    except UnresolvableHost as exc:
        raise ValidationFailed.field("base_url", str(exc)) from None


def connection_for(ai: AiSettings | None) -> Connection:
    """The connection to use, or AiDisabled while the workspace has AI off."""
    if ai is None or not ai.enabled:
        raise AiDisabled("AI is off for this workspace: turn it on in the AI settings first.")
    return Connection(
        base_url=base_url_check(ai.base_url or settings.OPENAI_BASE_URL),
        api_key=ai.api_key or settings.OPENAI_API_KEY,
        model=ai.model or settings.AI_MODEL,
        timeout=float(settings.AI_TIMEOUT),
        structured=bool(settings.AI_STRUCTURED_OUTPUTS),
    )
