"""Whatever a client sends, the answer is a 4xx with a JSON reason, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.factories import LeadListFactory, TagFactory

from .calls import JSON

MALFORMED = [
    b"not json",
    b"{",
    b"",
    b"null",
    b"[]",
    b"123",
    b'"a string"',
    b'{"email": ["a@b.test"]}',
    b'{"email": {"$ne": null}}',
    b'{"first_name": 12, "last_name": true}',
    b'{"custom_fields": "budget=5"}',
    b'{"custom_fields": {"a": {"b": 1}}}',
    b'{"slots": [1, 2]}',
    b'{"social_handles": {"x": 1}}',
    b'{"owner_id": "abc", "company_id": 1.5, "referred_by_id": -1}',
    b'{"owner_id": 100000000000000000000000000000}',
    b'{"lead_ids": [100000000000000000000000000000]}',
    b'{"title": "\\u0000"}',
    b'{"email": "a@b.test", "first_name": "nul\\u0000byte"}',
    json.dumps({"email": "a@" + "b" * 100_000 + ".test"}).encode(),
    json.dumps({"email": "a@b.test", "title": "x" * 1_000_000}).encode(),
    json.dumps({"email": "a@b.test", "custom_fields": {f"k{i}": i for i in range(5000)}}).encode(),
    b'{"a":' * 2000 + b"1" + b"}" * 2000,
    b"x" * 3_000_000,
]


@pytest.fixture
def endpoints(workspace, lead, actor):
    lead_list = LeadListFactory(workspace=workspace)
    tag = TagFactory(workspace=workspace)
    return [
        ("post", "/api/v1/leads"),
        ("patch", f"/api/v1/leads/{lead.pk}"),
        ("post", f"/api/v1/leads/{lead.pk}/notes"),
        ("post", "/api/v1/companies"),
        ("post", "/api/v1/lists"),
        ("post", f"/api/v1/lists/{lead_list.pk}/leads"),
        ("post", "/api/v1/tags"),
        ("post", f"/api/v1/tags/{tag.pk}/leads"),
        ("post", "/api/v1/tasks"),
        ("post", "/api/v1/custom-fields"),
    ]


@pytest.mark.parametrize("body", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_body_is_never_a_server_error(api, endpoints, body):
    for method, path in endpoints:
        response = getattr(api, method)(path, body, content_type=JSON)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=-1",
        "limit=1e9",
        "cursor=" + "A" * 600,
        "cursor=eyJ4IjogMX0",
        "created_after=2025-02-30",
        "q=" + "x" * 1000,
        "q=%00",
        "country=%00",
        "list_id=0",
        "sort=created_at;DROP",
    ],
)
def test_a_malformed_lead_query_is_never_a_server_error(api, lead, query):
    response = api.get(f"/api/v1/leads?{query}")
    assert response.status_code == 422, response.content
