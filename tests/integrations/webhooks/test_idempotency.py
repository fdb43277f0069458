"""Idempotency-Key on the API's create calls, per workspace, for 24 hours (IETF draft)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone

from crm.models import Lead
from crm.services.api_keys import api_key_create
from integrations.idempotency.models import IdempotentRequest
from integrations.idempotency.replay import idempotent_requests_purge


def _create(api, body, key):
    return api.post(
        "/api/v1/leads", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_retried_create_returns_the_stored_answer_without_creating_twice(api, workspace):
    first = _create(api, {"email": "ada@example.com"}, "abc")
    again = _create(api, {"email": "ada@example.com"}, "abc")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Lead.objects.filter(workspace=workspace).count() == 1


def test_the_same_key_with_another_body_is_a_422(api):
    _create(api, {"email": "ada@example.com"}, "abc")
    other = _create(api, {"email": "bob@example.com"}, "abc")
    assert other.status_code == 422


def test_a_request_still_running_under_the_key_is_a_409(api, workspace):
    IdempotentRequest.objects.create(
        workspace=workspace,
        key="busy",
        fingerprint=__import__("hashlib")
        .sha256(b'POST /api/v1/leads\n{"email": "ada@example.com"}')
        .hexdigest(),
        created_at=timezone.now(),
    )
    answer = _create(api, {"email": "ada@example.com"}, "busy")
    assert answer.status_code == 409
    assert not Lead.objects.exists()


def test_keys_are_per_workspace(api, other_workspace, stranger):
    _, token = api_key_create(workspace=other_workspace, user=stranger, name="theirs")
    them = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert _create(api, {"email": "ada@example.com"}, "shared").status_code == 201
    assert _create(them, {"email": "bob@example.com"}, "shared").status_code == 201


def test_after_24_hours_a_key_may_be_used_again(api, workspace):
    _create(api, {"email": "ada@example.com"}, "abc")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        again = _create(api, {"email": "bob@example.com"}, "abc")
        assert again.status_code == 201
        assert idempotent_requests_purge() == 0
    assert Lead.objects.filter(workspace=workspace).count() == 2


def test_errors_are_stored_but_server_errors_are_not(api):
    bad = _create(api, {"first_name": "no identity"}, "k")
    assert bad.status_code == 422
    assert _create(api, {"first_name": "no identity"}, "k").status_code == 422
    assert IdempotentRequest.objects.get(key="k").status_code == 422


def test_without_a_key_nothing_is_stored(api):
    api.post("/api/v1/leads", {"email": "a@example.com"}, content_type="application/json")
    assert not IdempotentRequest.objects.exists()


def test_a_key_without_a_valid_api_key_is_a_plain_401(client, db):
    answer = client.post(
        "/api/v1/leads",
        {"email": "a@example.com"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert answer.status_code == 401
    assert not IdempotentRequest.objects.exists()
