"""Answers for /api/ requests that fail outside an operation's own handling: JSON, never HTML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

SERVER_ERROR_BODY = {"detail": "Internal server error; it has been logged.", "errors": {}}


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's ``handler500``: the API's error shape under /api/, the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(SERVER_ERROR_BODY, status=500)
    return defaults.server_error(request)
