"""The docs page renders and describes every endpoint, its errors, and no secret."""

from __future__ import annotations

import pytest

CORE_PATHS = {
    "/api/v1/me",
    "/api/v1/leads",
    "/api/v1/leads/count",
    "/api/v1/leads/{lead_id}",
    "/api/v1/leads/{lead_id}/activities",
    "/api/v1/leads/{lead_id}/notes",
    "/api/v1/companies",
    "/api/v1/companies/{company_id}",
    "/api/v1/lists",
    "/api/v1/lists/{list_id}",
    "/api/v1/lists/{list_id}/leads",
    "/api/v1/lists/{list_id}/leads/remove",
    "/api/v1/tags",
    "/api/v1/tags/{tag_id}",
    "/api/v1/tags/{tag_id}/leads",
    "/api/v1/tags/{tag_id}/leads/remove",
    "/api/v1/tasks",
    "/api/v1/tasks/{task_id}",
    "/api/v1/tasks/{task_id}/complete",
    "/api/v1/tasks/{task_id}/reopen",
    "/api/v1/custom-fields",
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_docs_page_renders_without_a_key(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"Kindling API" in response.content


def test_api_docs_leads_to_the_current_docs(client):
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/docs"


def test_it_lists_every_path(openapi):
    assert set(openapi["paths"]) >= CORE_PATHS


def test_every_operation_has_a_summary_and_its_error_answers(openapi):
    for route in CORE_PATHS:
        operations = openapi["paths"][route]
        for method, operation in operations.items():
            where = f"{method.upper()} {route}"
            assert operation.get("summary"), where
            assert "401" in operation["responses"], where
            if "{" in route:
                assert "404" in operation["responses"], where
            if method in {"post", "patch"} and "requestBody" in operation:
                assert "422" in operation["responses"], where


def test_it_declares_both_ways_to_send_a_key(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert {s.get("scheme") or s.get("name") for s in schemes.values()} >= {"bearer", "X-API-Key"}


def _response_schema_names(openapi) -> set[str]:
    """Every schema a response can carry, following references between schemas."""
    schemas = openapi["components"]["schemas"]
    pending: list[object] = [
        response
        for operations in openapi["paths"].values()
        for operation in operations.values()
        for response in operation.get("responses", {}).values()
    ]
    seen: set[str] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    pending.append(schemas[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return seen


def test_no_response_exposes_secrets_or_internals(openapi):
    # Secrets may be written (a mailbox's SMTP password) but never read back: only a
    # ``has_…`` flag says one is set.
    schemas = openapi["components"]["schemas"]
    response_schemas = _response_schema_names(openapi)
    assert "LeadOut" in response_schemas
    for name in response_schemas:
        for field in schemas[name].get("properties", {}):
            if field.startswith("has_"):
                continue
            for word in ("hashed_secret", "search_text", "password", "prefix", "secret"):
                assert word not in field, f"{name}.{field} is returned by the API"
