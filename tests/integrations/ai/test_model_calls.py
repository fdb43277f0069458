"""One call to the model through the real SDK against the loopback stub: the request's shape,
the retry policy (SDK retries off) and the timeout."""

from __future__ import annotations

import time

import pytest

from integrations.ai.client import ModelUnavailable, chat
from integrations.ai.connection import Connection
from integrations.ai.prompts import response_format
from tests.integrations.ai.stub_model import Reply, completion

MESSAGES = [{"role": "user", "content": "Say OK"}]


def _connection(stub, *, structured=True, timeout=2.0):
    return Connection(
        base_url=stub.url,
        api_key="sk-test",
        model="stub-model",
        timeout=timeout,
        structured=structured,
    )


def test_it_sends_a_strict_json_schema_when_structured_outputs_are_on(stub):
    answer = chat(
        connection=_connection(stub),
        messages=MESSAGES,
        response_format=response_format(structured=True),
    )

    (request,) = stub.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer sk-test"
    fmt = request["json"]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False
    assert request["json"]["model"] == "stub-model"
    assert answer.prompt_tokens == 120 and answer.completion_tokens == 40
    assert answer.request_id == "req_1"


def test_it_falls_back_to_json_mode_when_structured_outputs_are_off(stub):
    chat(
        connection=_connection(stub, structured=False),
        messages=MESSAGES,
        response_format=response_format(structured=False),
    )

    assert stub.requests[0]["json"]["response_format"] == {"type": "json_object"}


def test_it_waits_for_retry_after_on_a_429_then_succeeds(stub):
    stub.queue(
        Reply(status=429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "1"}),
        Reply(body=completion("OK")),
    )

    started = time.monotonic()
    answer = chat(connection=_connection(stub), messages=MESSAGES)

    assert answer.content == "OK"
    assert len(stub.requests) == 2  # the SDK's own retries are off: nothing multiplied
    assert stub.requests[1]["at"] - stub.requests[0]["at"] >= 0.95
    assert time.monotonic() - started < 5


def test_it_gives_up_after_three_attempts(stub):
    stub.queue(*[Reply(status=500, body={"error": {"message": "boom"}}) for _ in range(5)])

    with pytest.raises(ModelUnavailable, match="500"):
        chat(connection=_connection(stub), messages=MESSAGES)

    assert len(stub.requests) == 3


def test_it_does_not_retry_a_permanent_error(stub):
    stub.queue(Reply(status=401, body={"error": {"message": "bad key"}}))

    with pytest.raises(ModelUnavailable, match="401"):
        chat(connection=_connection(stub), messages=MESSAGES)

    assert len(stub.requests) == 1


def test_a_hang_past_the_timeout_is_retried_then_reported(stub):
    stub.queue(*[Reply(body=completion("late"), delay=1.5) for _ in range(3)])

    started = time.monotonic()
    with pytest.raises(ModelUnavailable, match="did not answer in time"):
        chat(connection=_connection(stub, timeout=0.5), messages=MESSAGES)

    assert len(stub.requests) == 3
    assert time.monotonic() - started < 6
