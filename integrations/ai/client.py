"""One Chat Completions call through the ``openai`` SDK, with Kindling's retry policy.

The SDK's own retries are off (``max_retries=0``) so the two policies never multiply: three
attempts in all, a back-off that honours the server's ``Retry-After``; only transient answers
(timeouts, connection errors, 408, 409, 429, 5xx) are retried, a 4xx never is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import openai

from integrations.ai.connection import Connection, address_check

ATTEMPTS = 3
BASE_DELAY = 0.5  # seconds, doubled after each failed attempt
MAX_DELAY = 30.0  # a Retry-After longer than this is cut to it
TRANSIENT_STATUSES = {408, 409, 429}


class ModelUnavailable(Exception):
    """The model could not answer (after retries, or a permanent error); the reason says why."""


@dataclass(frozen=True)
class Answer:
    content: str
    refusal: str
    finish_reason: str
    request_id: str
    prompt_tokens: int
    completion_tokens: int


def _retry_after(exc: openai.APIStatusError) -> float | None:
    raw = exc.response.headers.get("retry-after", "")
    try:
        return min(max(float(raw), 0.0), MAX_DELAY)
    except ValueError:
        return None


def _transient(exc: Exception) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # timeouts included
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in TRANSIENT_STATUSES or exc.status_code >= 500
    return False


def _describe(exc: Exception) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "The model did not answer in time."
    if isinstance(exc, openai.APIConnectionError):
        return "The model server could not be reached."
    if isinstance(exc, openai.APIStatusError):
        return f"The model server answered {exc.status_code}: {exc.message}"[:300]
    return str(exc)[:300]


def chat(
    *,
    connection: Connection,
    messages: list[dict[str, str]],
    response_format: dict[str, Any] | None = None,
) -> Answer:
    """Ask the model once (up to three attempts); raises ModelUnavailable or UnsafeAddress."""
    address_check(connection.base_url)
    with openai.OpenAI(
        base_url=connection.base_url,
        api_key=connection.api_key or "none",  # local servers take any key; the SDK wants one
        timeout=connection.timeout,
        max_retries=0,
    ) as client:
        return _attempts(client, connection=connection, messages=messages, fmt=response_format)


def _attempts(
    client: openai.OpenAI,
    *,
    connection: Connection,
    messages: list[dict[str, str]],
    fmt: dict[str, Any] | None,
) -> Answer:
    last: Exception | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            delay = BASE_DELAY * 2 ** (attempt - 1)
            if isinstance(last, openai.APIStatusError):
                delay = _retry_after(last) or delay
            time.sleep(delay)
        try:
            completion = client.chat.completions.create(
                model=connection.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=fmt if fmt is not None else openai.omit,  # type: ignore[arg-type]
            )
        except openai.OpenAIError as exc:
            last = exc
            if not _transient(exc):
                break
            continue
        choice = completion.choices[0]
        usage = completion.usage
        return Answer(
            content=choice.message.content or "",
            refusal=getattr(choice.message, "refusal", None) or "",
            finish_reason=choice.finish_reason or "",
            request_id=getattr(completion, "_request_id", None) or "",
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        )
    raise ModelUnavailable(_describe(last) if last else "No answer.")
