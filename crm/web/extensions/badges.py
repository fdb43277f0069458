"""Counts shown beside sidebar entries ("Feed 12"), computed on every page: keep them cheap.

A count is one indexed query (or a cached figure). A badge that fails is left out and logged,
so an app's bug never breaks every page's layout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from crm.models import Workspace
from crm.web.extensions.registry import Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavBadge:
    key: str
    # The sidebar entry it sits on (its URL name, as in crm/web/nav.py).
    url_name: str
    count: Callable[[Workspace, AbstractBaseUser | AnonymousUser], int]
    # Read by screen readers and in the tooltip: "12 posts to engage with".
    title: str = ""
    order: int = 100


NAV_BADGES: Registry[NavBadge] = Registry("navigation badges")


def badge_counts(
    *, workspace: Workspace, user: AbstractBaseUser | AnonymousUser
) -> dict[str, tuple[int, str]]:
    """``{url_name: (count, title)}`` for the entries whose count is above zero."""
    counts: dict[str, tuple[int, str]] = {}
    for badge in NAV_BADGES.all():
        try:
            n = badge.count(workspace, user)
        except Exception:  # a decoration must never take the page down
            log.exception("navigation badge %s failed", badge.key)
            continue
        if n > 0:
            previous = counts.get(badge.url_name, (0, ""))[0]
            counts[badge.url_name] = (previous + n, badge.title)
    return counts
