"""The ``tag=value; tag=value`` syntax shared by DKIM keys and DMARC records (RFC 6376 §3.2)."""

from __future__ import annotations

import re

_TAG = re.compile(
    r"[ \t\r\n]*([A-Za-z][A-Za-z0-9_]*)[ \t\r\n]*=[ \t\r\n]*(.*?)[ \t\r\n]*", re.DOTALL
)


class TagListError(ValueError):
    """The text is not a tag-list: a tag without "=", a bad tag name, or a repeated tag."""


def parse_tags(text: str) -> dict[str, str]:
    """Parse a tag-list into an ordered dict of lower-case tag names to raw values."""
    tags: dict[str, str] = {}
    specs = text.split(";")
    if specs and not specs[-1].strip():
        specs.pop()  # a trailing ";" is allowed
    for spec in specs:
        match = _TAG.fullmatch(spec)
        if match is None:
            raise TagListError(f"{spec.strip()!r} is not a tag=value pair")
        name = match[1].lower()
        if name in tags:
            raise TagListError(f"the {name}= tag appears more than once")
        tags[name] = match[2]
    return tags
