"""Slots where other apps' fragments appear on core pages, loaded with HTMX after the page.

Like the nav, a panel whose URL name does not reverse (its app has not landed) is skipped, so
the core pages never depend on the apps that decorate them.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

# URL names of fragments for the lead page's side column; each takes ``ws`` and ``lead_id``.
LEAD_PANELS = ("pipelines:lead_panel", "integrations:feed_lead_panel")
# URL names of fragments for the dashboard's side column; each takes ``ws``.
DASHBOARD_PANELS = ("pipelines:dashboard_panel", "integrations:feed_goals_panel")


def _reversible(names: tuple[str, ...], **kwargs: object) -> list[str]:
    urls = []
    for name in names:
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return urls


def lead_panel_urls(*, ws: str, lead_id: int) -> list[str]:
    return _reversible(LEAD_PANELS, ws=ws, lead_id=lead_id)


def dashboard_panel_urls(*, ws: str) -> list[str]:
    return _reversible(DASHBOARD_PANELS, ws=ws)
