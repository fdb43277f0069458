"""Run a request once per key: store its answer, replay it to retries, refuse look-alikes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils import timezone

from integrations.idempotency.models import IdempotentRequest

KEEP = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": {}}, status=status)


def request_fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:
        # A multipart form already parsed (and its stream consumed): its fields stand for it.
        digest.update(json.dumps(sorted(request.POST.lists())).encode())
    return digest.hexdigest()


def idempotent_response(
    *, workspace_id: int, key: str, request: HttpRequest, produce: Callable[[], HttpResponse]
) -> HttpResponse:
    """The answer to ``request`` under ``key``: produced once, then replayed for 24 hours.

    As the IETF draft says: the same key with a different request is a 422, a retry while the
    first request is still running a 409. Server errors (5xx) are not kept, so a retry after
    one runs again.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        return _problem(400, f"An Idempotency-Key has 1 to {MAX_KEY_LENGTH} characters.")
    fingerprint = request_fingerprint(request)
    now = timezone.now()
    IdempotentRequest.objects.filter(
        workspace_id=workspace_id, key=key, created_at__lt=now - KEEP
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                workspace_id=workspace_id, key=key, fingerprint=fingerprint, created_at=now
            )
    except IntegrityError:
        return _replay(workspace_id, key, fingerprint)
    try:
        response = produce()
    except BaseException:
        IdempotentRequest.objects.filter(pk=record.pk).delete()
        raise
    if response.status_code >= 500 or response.streaming:
        IdempotentRequest.objects.filter(pk=record.pk).delete()
        return response
    IdempotentRequest.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", "")[:100],
        body=response.content,
    )
    return response


def _replay(workspace_id: int, key: str, fingerprint: str) -> HttpResponse:
    first = IdempotentRequest.objects.filter(workspace_id=workspace_id, key=key).first()
    if first is None:  # expired and deleted in between: rare enough to ask for a retry
        return _problem(409, "A request with this Idempotency-Key is being processed; retry.")
    if first.fingerprint != fingerprint:
        return _problem(
            422, "This Idempotency-Key was already used with another request; use a new key."
        )
    if first.status_code is None:
        return _problem(409, "A request with this Idempotency-Key is being processed; retry.")
    response = HttpResponse(
        bytes(first.body), status=first.status_code, content_type=first.content_type or None
    )
    response[REPLAYED_HEADER] = "true"
    return response


def idempotent_requests_purge(*, now: dt.datetime | None = None) -> int:
    """Forget keys older than 24 hours (beat calls it); returns how many."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
