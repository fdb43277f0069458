"""Post content from outside, made safe before it is stored: nh3 for HTML, plain text beside it.

Feeds and Mastodon send HTML (sometimes with scripts, styles and tracking pixels). We keep two
forms: ``text``, every tag stripped and entities decoded (templates escape it like any text), and
``html``, reduced to a small allow-list of tags with safe links, for rich display.
"""

from __future__ import annotations

import html as html_lib
import re

import nh3

ALLOWED_TAGS = {"a", "p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
MAX_TEXT = 20_000
_BLOCK_END = re.compile(r"</(p|div|li|blockquote|h[1-6])>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def sanitized_html(raw: str) -> str:
    """``raw`` HTML keeping only harmless tags; links get rel="noopener noreferrer nofollow"."""
    return nh3.clean(
        raw[: MAX_TEXT * 4],
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(raw: str) -> str:
    """``raw`` HTML as plain text: paragraph breaks kept, every tag (and script) dropped."""
    with_breaks = _BLOCK_END.sub("\n", raw[: MAX_TEXT * 4])
    stripped = html_lib.unescape(nh3.clean(with_breaks, tags=set()))
    lines = (_SPACES.sub(" ", line).strip() for line in stripped.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()[:MAX_TEXT]


def from_html(raw: str) -> tuple[str, str]:
    """(text, html) of HTML content."""
    raw = raw.replace("\x00", "")  # PostgreSQL cannot store NUL in text
    return plain_text(raw), sanitized_html(raw)


def from_text(raw: str) -> tuple[str, str]:
    """(text, html) of plain-text content (Bluesky, X): the HTML form is the escaped text."""
    text = raw.replace("\x00", "").strip()[:MAX_TEXT]
    return text, html_lib.escape(text).replace("\n", "<br>")
