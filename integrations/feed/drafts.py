"""A DM to copy after engaging with a post, until the conversations composer exists.

The AI draft (outreach.hooks.draft) when one is installed, else the lead's own slots (an
icebreaker typed in or imported) around a plain template that quotes the post.
"""

from __future__ import annotations

from crm.models import Lead
from integrations.feed.models import Post
from outreach import hooks

QUOTE_CHARS = 120


def _quote(post: Post) -> str:
    text = " ".join((post.title or post.text).split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def dm_draft(*, lead: Lead, post: Post | None) -> str:
    context = {"post_url": post.url, "post_text": post.text} if post is not None else {}
    drafted = hooks.draft(lead, "dm", context)
    if drafted:
        return drafted
    slots = lead.slots if isinstance(lead.slots, dict) else {}
    hello = f"Hi {lead.first_name}," if lead.first_name else "Hi,"
    lines = [hello, ""]
    if post is not None:
        lines.append(f"I just read your post “{_quote(post)}” and it stuck with me.")
    icebreaker = str(slots.get("icebreaker") or slots.get("personalization") or "").strip()
    if icebreaker:
        lines.append(icebreaker)
    lines += ["", "Would you be open to a short chat about it?"]
    return "\n".join(lines)
