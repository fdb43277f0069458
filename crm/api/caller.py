"""Who is calling: what API-key authentication (crm.api) sets on every request it lets through."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest

from crm.actors import Actor
from crm.models import ApiKey, Workspace


class ApiRequest(HttpRequest):
    """A request with a live API key: its workspace scopes every read and write."""

    workspace: Workspace
    user: User  # type: ignore[assignment]
    auth: ApiKey


def actor_of(request: ApiRequest) -> Actor:
    """The key's person, as the timeline records them."""
    return Actor.of_user(request.user)
