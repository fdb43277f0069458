"""A post as the API returns it, for events (built here so services never import the API layer;
``schemas.PostOut`` declares the same fields and a test keeps the two equal)."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from integrations.feed.models import Post

_JSON = DjangoJSONEncoder()


def _iso(value: Any) -> str | None:
    # The API's own encoding of datetimes (milliseconds, "Z"), so both shapes are equal.
    return _JSON.default(value) if value is not None else None


def post_as_api(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "lead_id": post.lead_id,
        "company_id": post.company_id,
        "network": post.network,
        "url": post.url,
        "title": post.title,
        "text": post.text,
        "posted_at": _iso(post.posted_at),
        "fetched_at": _iso(post.fetched_at),
        "pushed": post.pushed,
        "source_id": post.identity_id,
    }
