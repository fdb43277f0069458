from __future__ import annotations

from django.http import HttpRequest

from crm.selectors.workspaces import memberships_of
from crm.web.extensions.badges import badge_counts
from crm.web.nav import nav_sections


def workspace_context(request: HttpRequest) -> dict:
    """The current workspace, the ones the user can switch to, and the sidebar, for the layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    workspace = getattr(request, "workspace", None)
    return {
        "workspace": workspace,
        "membership": getattr(request, "membership", None),
        "my_memberships": memberships_of(user),
        "nav": nav_sections(
            ws=workspace.slug,
            path=request.path,
            badges=badge_counts(workspace=workspace, user=user),
        )
        if workspace
        else [],
    }
