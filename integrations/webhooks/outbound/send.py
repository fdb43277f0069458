"""One attempt: a signed POST through the public-only HTTP client. No database work here, so
attempts can run in parallel threads while the caller records their results."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils import timezone

from crm.net.http import FetchFailed, UnsafeURL, public_post
from integrations.webhooks.outbound.signing import webhook_headers

EXCERPT_CHARS = 500


@dataclass(frozen=True)
class AttemptResult:
    delivery_id: int
    started_at: dt.datetime
    duration_ms: int
    status_code: int | None
    response_excerpt: str
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        """410 Gone: the receiver asks to stop sending (the endpoint is disabled)."""
        return self.status_code == 410


def attempt_send(
    *,
    delivery_id: int,
    url: str,
    msg_id: str,
    body: str,
    secrets_: list[str],
    client: httpx.Client | None = None,
) -> AttemptResult:
    """POST one message; every outcome is a result (a refused or silent receiver included)."""
    started_at = timezone.now()
    clock = time.monotonic()
    payload = body.encode()
    headers = webhook_headers(
        secrets_=secrets_, msg_id=msg_id, timestamp=int(time.time()), body=payload
    )
    status: int | None = None
    excerpt = error = ""
    try:
        answer = public_post(
            url,
            body=payload,
            headers=headers,
            timeout=float(settings.WEBHOOK_TIMEOUT),
            max_bytes=EXCERPT_CHARS * 4,
            client=client,
        )
    except UnsafeURL as exc:
        error = exc.message
    except FetchFailed as exc:
        error = str(exc) or "No answer."
    else:
        status = answer.status
        excerpt = answer.text[:EXCERPT_CHARS]
        if 300 <= status < 400:
            error = "Redirects are not followed; give the final URL."
        elif not 200 <= status < 300:
            error = f"The receiver answered {status}."
    return AttemptResult(
        delivery_id=delivery_id,
        started_at=started_at,
        duration_ms=int((time.monotonic() - clock) * 1000),
        status_code=status,
        response_excerpt=excerpt,
        error=error[:300],
    )
