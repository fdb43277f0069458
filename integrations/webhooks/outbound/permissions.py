"""Who manages a workspace's webhook endpoints: its owners and admins."""

from __future__ import annotations

from django.contrib.auth.models import User

from crm.errors import PermissionDenied
from crm.models import Membership, Role, Workspace


def require_webhook_admin(*, workspace: Workspace, user: User) -> None:
    """Raise PermissionDenied unless the user is an owner or admin of the workspace."""
    if not Membership.objects.filter(
        workspace=workspace, user=user, role__in=(Role.OWNER, Role.ADMIN)
    ).exists():
        raise PermissionDenied("Only owners and admins manage webhook endpoints.")
