"""Who may reshape a pipeline: its stages and rules are the team's, so owners and admins."""

from __future__ import annotations

from crm.errors import PermissionDenied
from crm.models import Membership, Role, Workspace


def require_admin(*, workspace: Workspace, user) -> None:  # type: ignore[no-untyped-def]
    """Raise PermissionDenied unless the user is an owner or admin of the workspace."""
    if not Membership.objects.filter(
        workspace=workspace, user=user, role__in=(Role.OWNER, Role.ADMIN)
    ).exists():
        raise PermissionDenied("Only owners and admins change pipelines, stages and rules.")
