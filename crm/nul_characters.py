"""NUL characters in what people send: refused the same way on every page and API operation.

PostgreSQL cannot store NUL in text and its drivers refuse it as a query parameter, so a NUL
that reaches a filter or a write fails deep inside (a 500, or a CSV stream cut after its
header). One middleware refuses it up front with a 422, in the path, the query string, a form
body or a JSON body, before any view runs. Uploaded files are data, not parameters: the
importer judges their contents.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape

NUL_MESSAGE = "Text cannot contain NUL characters."
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_nul(value: Any) -> bool:
    """Whether a string, or any key or value of a JSON-like structure, contains NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def _json_fields_with_nul(value: Any, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path or "body"] if "\x00" in value else []
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found += [name] if "\x00" in str(key) else _json_fields_with_nul(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _json_fields_with_nul(item, f"{path}.{index}" if path else str(index))
    return found


def _query_fields_with_nul(data: Any) -> list[str]:
    return [
        key.replace("\x00", "\\0")
        for key, values in data.lists()
        if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str))
    ]


class RefuseNulMiddleware:
    """Answers 422 to a request with NUL in a text parameter: a JSON problem under /api/, the
    message on a plain page elsewhere. Placed after CSRF, so a form body is read where CSRF
    reads it anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        fields = self._fields_with_nul(request)
        if not fields:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Invalid request.", "errors": {f: [NUL_MESSAGE] for f in fields}},
                status=422,
            )
        return HttpResponse(f"<p>{escape(NUL_MESSAGE)}</p>", status=422)

    def _fields_with_nul(self, request: HttpRequest) -> list[str]:
        if "\x00" in request.path:
            return ["path"]
        fields = _query_fields_with_nul(request.GET)
        if request.method in ("GET", "HEAD", "OPTIONS") or fields:
            return fields
        content_type = request.content_type or ""
        api = request.path.startswith("/api/")
        if api and content_type == "application/json":
            try:
                body = request.body
            except RequestDataTooBig:
                return []  # the API answers 413 itself
            # JSON writes NUL as the escape \u0000 (a raw NUL is not JSON: the parser refuses it).
            if b"\\u0000" not in body:
                return []
            try:
                return _json_fields_with_nul(json.loads(body))
            except ValueError:
                return []
        if not api and content_type in _FORM_TYPES:
            # API form bodies are file uploads; their few text fields are judged by the API.
            return _query_fields_with_nul(request.POST)
        return []
