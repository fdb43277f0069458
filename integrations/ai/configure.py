"""Writes of a workspace's AI settings, and the "test connection" button."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from crm.errors import PermissionDenied
from crm.models import Membership, Role, Workspace
from integrations.ai.client import ModelUnavailable, chat
from integrations.ai.connection import base_url_check, connection_for
from integrations.ai.models import AiSettings

KEEP = None  # api_key=KEEP leaves the stored key as it is (the key is write-only)


def require_ai_admin(*, workspace: Workspace, user: User) -> None:
    """Raise PermissionDenied unless the user is an owner or admin (the settings hold a key)."""
    if not Membership.objects.filter(
        workspace=workspace, user=user, role__in=(Role.OWNER, Role.ADMIN)
    ).exists():
        raise PermissionDenied("Only owners and admins change the AI settings.")


@transaction.atomic
def ai_settings_update(
    *,
    workspace: Workspace,
    enabled: bool | None = None,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = KEEP,
) -> AiSettings:
    """Change the workspace's overrides; a blank URL, model or key means the instance default.

    ``api_key`` is only ever written: None keeps the stored one, "" clears it.
    """
    ai, _ = AiSettings.objects.select_for_update().get_or_create(workspace=workspace)
    if enabled is not None:
        ai.enabled = enabled
    if base_url is not None:
        ai.base_url = base_url_check(base_url) if base_url.strip() else ""
    if model is not None:
        ai.model = model.strip()[:200]
    if api_key is not None:
        ai.api_key = api_key.strip()
    ai.save()
    return ai


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    model: str
    message: str


def ai_connection_test(*, ai: AiSettings) -> ConnectionCheck:
    """Send one tiny request with the workspace's settings (only when AI is on)."""
    connection = connection_for(ai)
    try:
        answer = chat(
            connection=connection,
            messages=[{"role": "user", "content": "Answer with the single word OK."}],
        )
    except ModelUnavailable as exc:
        return ConnectionCheck(False, connection.model, str(exc))
    return ConnectionCheck(True, connection.model, f"The model answered: {answer.content[:80]}")
