"""Finding a site's feed from its page: ``<link rel="alternate" type="application/rss+xml">``."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            # Prefer RSS and Atom in the order sites usually list them; skip comment feeds.
            if "comments" in values.get("title", "").lower():
                return
            self.found.append((FEED_TYPES.index(kind), values["href"].strip()))


def feed_links(page: str, base_url: str) -> list[str]:
    """Feed URLs the page advertises, absolute, in the page's order."""
    finder = _LinkFinder()
    try:
        finder.feed(page[:500_000])
        finder.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    return [urljoin(base_url, href) for _, href in finder.found]


def looks_like_html(body: bytes, content_type: str) -> bool:
    if "html" in content_type.lower():
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))
