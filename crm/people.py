"""How a person (a user of Kindling) is named on every page, in the API and on the timeline."""

from __future__ import annotations

from typing import Any


def display_name(user: Any) -> str:
    """The person's full name, else their email: the one name shown for them everywhere."""
    if user is None:
        return ""
    full = user.get_full_name().strip()
    return full or user.email or user.get_username()
