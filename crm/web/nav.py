"""The sidebar as data, so apps that land later only need their URL name to appear.

An entry whose URL name does not reverse yet (its app has no page) is shown greyed with
"soon" instead of raising NoReverseMatch: the layout never breaks while the product grows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    section: str


@dataclass(frozen=True)
class NavLink:
    """One entry resolved for a workspace: ``url`` is None while the page does not exist."""

    label: str
    icon: str
    url: str | None
    active: bool
    # A count other apps attach (crm/web/extensions/badges.py): "Feed 12".
    badge: int = 0
    badge_title: str = ""

    @property
    def soon(self) -> bool:
        return self.url is None


# Sections in the order the sidebar shows them; icons are names in templates/crm/icons/.
NAV: tuple[NavEntry, ...] = (
    NavEntry("Dashboard", "crm:dashboard", "home", "Workspace"),
    NavEntry("Leads", "crm:leads", "users", "Workspace"),
    NavEntry("Companies", "crm:companies", "building", "Workspace"),
    NavEntry("Lists", "crm:lists", "list", "Workspace"),
    NavEntry("Tasks", "crm:tasks", "check", "Workspace"),
    NavEntry("Pipeline", "pipelines:board", "columns", "Selling"),
    NavEntry("Imports", "integrations:imports", "upload", "Selling"),
    NavEntry("Sequences", "outreach:sequences", "send", "Outreach"),
    NavEntry("Domains", "outreach:domains", "globe", "Outreach"),
    NavEntry("Feed", "integrations:feed", "rss", "Outreach"),
)


def nav_url(url_name: str, ws: str) -> str | None:
    """The entry's URL in the workspace, or None while its app has no such page."""
    try:
        return reverse(url_name, kwargs={"ws": ws})
    except NoReverseMatch:
        return None


def nav_sections(
    *, ws: str, path: str, badges: dict[str, tuple[int, str]] | None = None
) -> list[tuple[str, list[NavLink]]]:
    """The sidebar for workspace ``ws``: ``[(section, [links])]``, the current page marked active.

    The longest URL that prefixes the current path wins, so /leads/12/ lights up Leads and not
    the dashboard at /w/acme/. ``badges`` maps an entry's URL name to its count and title.
    """
    badges = badges or {}
    resolved = [(entry, nav_url(entry.url_name, ws)) for entry in NAV]
    home = nav_url("crm:dashboard", ws)
    # The dashboard is the workspace's root: it is current only on itself, not on the
    # pages that no sidebar entry names (settings, integrations).
    matches = [
        url for _, url in resolved if url and path.startswith(url) and (url != home or path == url)
    ]
    current = max(matches, key=len) if matches else None
    sections: dict[str, list[NavLink]] = {}
    for entry, url in resolved:
        count, title = badges.get(entry.url_name, (0, "")) if url else (0, "")
        link = NavLink(
            entry.label, entry.icon, url, url is not None and url == current, count, title
        )
        sections.setdefault(entry.section, []).append(link)
    return list(sections.items())
