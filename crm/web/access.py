"""Who may open a workspace page: logged-in members only, everyone else sees a 404.

Every page under ``/w/<slug:ws>/`` is wrapped in :func:`workspace_view`, including the pages of
other apps (pipeline board, imports, sequences), so scoping is decided in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from crm.selectors.workspaces import membership_get

LAST_WORKSPACE_KEY = "kindling_last_workspace"


def workspace_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view whose URL has ``<slug:ws>``.

    Anonymous visitors go to the login page; a user who is not a member of the workspace gets a
    404 (not a 403: another team's workspace does not exist for them). The view receives the
    request with ``request.workspace`` and ``request.membership`` set, and its other URL kwargs
    without ``ws``. The workspace is remembered in the session so ``/`` can reopen it.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, ws: str, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_get(user=request.user, slug=ws)
        request.membership = membership  # type: ignore[attr-defined]
        request.workspace = membership.workspace  # type: ignore[attr-defined]
        if request.session.get(LAST_WORKSPACE_KEY) != ws:
            request.session[LAST_WORKSPACE_KEY] = ws
        return view(request, *args, **kwargs)

    return wrapper


def signed_in_user(request: HttpRequest) -> User:
    """The person behind a page that ``workspace_view`` or ``login_required`` already guards."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
