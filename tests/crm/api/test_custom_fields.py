"""/custom-fields: a workspace's own fields on leads and companies."""

from __future__ import annotations

from crm.services.custom_fields import custom_field_define

from .calls import get, post


def test_it_defines_and_lists_fields_per_entity(api, workspace, other_workspace):
    response = post(
        api,
        "/custom-fields",
        {"key": "plan", "label": "Plan", "field_type": "choice", "choices": ["Free", "Pro"]},
    )
    assert response.status_code == 201
    assert response.json()["choices"] == ["Free", "Pro"]
    post(api, "/custom-fields", {"key": "arr", "label": "ARR", "entity": "company"})
    custom_field_define(workspace=other_workspace, key="secret", label="Theirs")
    assert [f["key"] for f in get(api, "/custom-fields").json()] == ["plan"]
    assert [f["key"] for f in get(api, "/custom-fields", {"entity": "company"}).json()] == ["arr"]


def test_a_key_is_defined_once(api, workspace):
    custom_field_define(workspace=workspace, key="plan", label="Plan")
    assert post(api, "/custom-fields", {"key": "plan"}).status_code == 409


def test_it_names_the_field_at_fault(api):
    cases = [
        ({"key": "Bad Key"}, "key"),
        ({"key": "plan", "field_type": "colour"}, "field_type"),
        ({"key": "plan", "field_type": "choice"}, "choices"),
        ({"key": "plan", "entity": "task"}, "entity"),
        ({"key": "plan", "required": True}, "required"),
    ]
    for body, field in cases:
        response = post(api, "/custom-fields", body)
        assert response.status_code == 422, body
        assert field in response.json()["errors"], body
    assert get(api, "/custom-fields", {"entity": "task"}).status_code == 422
