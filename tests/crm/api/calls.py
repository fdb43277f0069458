"""JSON calls for the API tests: the Django client needs the content type spelled out."""

from __future__ import annotations

from typing import Any

from django.test import Client

JSON = "application/json"
V1 = "/api/v1"


def post(client: Client, path: str, body: Any = None, **extra: Any):  # type: ignore[no-untyped-def]
    return client.post(V1 + path, body if body is not None else {}, content_type=JSON, **extra)


def patch(client: Client, path: str, body: Any, **extra: Any):  # type: ignore[no-untyped-def]
    return client.patch(V1 + path, body, content_type=JSON, **extra)


def get(client: Client, path: str, params: dict | None = None):  # type: ignore[no-untyped-def]
    return client.get(V1 + path, params or {})


def delete(client: Client, path: str):  # type: ignore[no-untyped-def]
    return client.delete(V1 + path)
