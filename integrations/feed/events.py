"""The events the feed records: a new post of a lead (``post.detected``)."""

from __future__ import annotations

from crm.events import event_type_register

POST_EXAMPLE = {
    "id": 981,
    "lead_id": 42,
    "company_id": 3,
    "network": "bluesky",
    "url": "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kabc",
    "title": "",
    "text": "We just shipped our new pricing page.",
    "posted_at": "2026-12-01T09:30:00Z",
    "fetched_at": "2026-12-01T09:41:07Z",
    "pushed": False,
    "source_id": 17,
}


def register() -> None:
    # Company posts record no event: a company is not an event subject yet, and the feed shows
    # them as "company news" next to the company's leads without one.
    event_type_register(
        "post.detected",
        description="A new public post of a lead was fetched from one of their sources or "
        "pushed through the API; `post` is the post as the API returns it.",
        subject="lead",
        example={
            "lead": {"id": 42, "full_name": "Ada Lovelace", "email": "ada@example.com"},
            "post": POST_EXAMPLE,
            "actor": {"type": "integration", "user_id": None, "name": "Feed"},
        },
    )
