"""Links to outside pages built from what users typed or imported."""

from __future__ import annotations


def external_href(url: str | None) -> str | None:
    """An http(s) link for a stored website or profile; anything else becomes https://<text>.

    Free-text fields can hold ``javascript:…``; only http and https ever reach an href.
    """
    value = (url or "").strip()
    if not value:
        return None
    if value.lower().startswith(("http://", "https://")):
        return value
    return "https://" + value.lstrip("/")
