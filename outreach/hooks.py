"""What outreach asks of the apps built on it, without importing them.

``integrations`` fills these at start-up (its AppConfig.ready): a lead's recent posts (the
feed), an AI draft (personalization) and a second opinion on a reply's category (the AI
classifier). Until something fills a hook, outreach works without it: no posts, no drafts, the
rules' own category.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crm.models import Lead


@dataclass(frozen=True)
class RecentPost:
    network: str
    url: str
    text: str
    posted_at: Any  # an aware datetime


RecentPosts = Callable[[Lead, int], list[RecentPost]]
Draft = Callable[[Lead, str, dict[str, Any]], str | None]
ReplyCategory = Callable[[str, str], str | None]

_recent_posts: RecentPosts | None = None
_draft: Draft | None = None
_reply_category: ReplyCategory | None = None


def provide_recent_posts(provider: RecentPosts) -> None:
    global _recent_posts
    _recent_posts = provider


def provide_draft(provider: Draft) -> None:
    global _draft
    _draft = provider


def provide_reply_category(provider: ReplyCategory) -> None:
    global _reply_category
    _reply_category = provider


def recent_posts(lead: Lead, limit: int = 3) -> list[RecentPost]:
    """The lead's latest posts, newest first (none while no feed is installed)."""
    return _recent_posts(lead, limit) if _recent_posts is not None else []


def draft(lead: Lead, purpose: str, context: dict[str, Any]) -> str | None:
    """An AI draft for ``purpose`` ("dm", "email", "comment"), or None without AI."""
    return _draft(lead, purpose, context) if _draft is not None else None


def reply_category(subject: str, text: str) -> str | None:
    """A category for a reply the rules were unsure of, or None without AI."""
    return _reply_category(subject, text) if _reply_category is not None else None
