from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from crm.errors import PermissionDenied, ValidationFailed
from crm.models import ApiKey, Membership, Workspace

TOKEN_PREFIX = "kdl_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(*, workspace: Workspace, user: User, name: str) -> tuple[ApiKey, str]:
    """Issue an API key; returns ``(key, token)``. The token is shown once and stored hashed.

    The token is ``kdl_<prefix>_<secret>``: the prefix finds the row by index, the secret's hash
    is compared in constant time. A fast hash is right here: the secret has 256 bits of entropy.
    """
    if not Membership.objects.filter(workspace=workspace, user=user).exists():
        raise PermissionDenied("Only members of a workspace can have API keys for it.")
    label = (name or "").strip()
    if not label or len(label) > 100:
        raise ValidationFailed.field("name", "Give the key a name of at most 100 characters.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        workspace=workspace, user=user, name=label, prefix=prefix, hashed_secret=_hash(secret)
    )
    return key, f"{TOKEN_PREFIX}{prefix}_{secret}"


def api_key_authenticate(token: str) -> ApiKey | None:
    """The live key a token belongs to, or None. Keys of people no longer members stop working."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    key = (
        ApiKey.objects.select_related("workspace", "user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.hashed_secret, _hash(secret)):
        return None
    if not Membership.objects.filter(workspace_id=key.workspace_id, user_id=key.user_id).exists():
        return None
    now = timezone.now()
    # Writing on every request would serialize API traffic on one row; a minute is precise enough.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def api_key_revoke(*, key: ApiKey) -> None:
    """Stop a key from working; the row stays for the record."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
