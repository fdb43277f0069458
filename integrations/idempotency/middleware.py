"""Idempotency-Key on every JSON POST of the API, scoped to the caller's workspace."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from crm.services.api_keys import api_key_authenticate
from integrations.idempotency.replay import idempotent_response

API_PREFIX = "/api/v1/"
HEADER = "Idempotency-Key"


def _api_key_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("X-API-Key", "").strip()


class IdempotencyMiddleware:
    """Runs a keyed API POST once per workspace and key; retries get the stored answer.

    Requests without the header, other methods, uploads (multipart: a file is not kept in
    memory to be fingerprinted) and unauthenticated calls pass through untouched; the API
    itself then answers them as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method != "POST"
            or not request.path.startswith(API_PREFIX)
            or (request.content_type or "").startswith("multipart/")
        ):
            return self.get_response(request)
        api_key = api_key_authenticate(_api_key_token(request))
        if api_key is None:
            return self.get_response(request)
        return idempotent_response(
            workspace_id=api_key.workspace_id,
            key=key.strip(),
            request=request,
            produce=lambda: self.get_response(request),
        )
