"""Every endpoint refuses a caller without a live API key, whichever header carries it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from crm.api import api as root_api
from crm.models import ApiKey
from crm.services.api_keys import api_key_create, api_key_revoke
from crm.services.workspaces import user_get_or_create

from .calls import JSON


def _operations() -> list[tuple[str, str]]:
    schema = root_api.get_openapi_schema(path_prefix="/api/v1/")
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in schema["paths"].items()
        for method in operations
    ]


OPERATIONS = _operations()


def _call(client: Client, method: str, path: str, **headers: str):  # type: ignore[no-untyped-def]
    if method in {"get", "delete"}:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, "{}", content_type=JSON, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_it_refuses_a_call_without_a_key(client, method, path):
    response = _call(client, method, path)
    assert response.status_code == 401
    assert response.json()["detail"] == "Missing or invalid API key."


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_it_refuses_a_bad_key_in_either_header(client, api_token, method, path):
    tampered = api_token[:-4] + "AAAA"
    assert _call(client, method, path, HTTP_AUTHORIZATION=f"Bearer {tampered}").status_code == 401
    assert _call(client, method, path, HTTP_X_API_KEY=tampered).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_it_refuses_a_revoked_key(client, api_token, method, path):
    api_key_revoke(key=ApiKey.objects.get())
    assert _call(client, method, path, HTTP_AUTHORIZATION=f"Bearer {api_token}").status_code == 401
    assert _call(client, method, path, HTTP_X_API_KEY=api_token).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Basic b2xpdmlhOnB3"},
        {"HTTP_AUTHORIZATION": "Bearer kdl_"},
        {"HTTP_AUTHORIZATION": "Bearer kdl_abc"},
        {"HTTP_X_API_KEY": ""},
        {"HTTP_X_API_KEY": "not-a-key"},
    ],
)
def test_it_refuses_malformed_credentials(client, workspace, header):
    assert client.get("/api/v1/me", **header).status_code == 401


def test_it_accepts_the_key_in_either_header(client, api_token):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {api_token}").status_code == 200
    assert client.get("/api/v1/me", HTTP_X_API_KEY=api_token).status_code == 200


def test_a_key_stops_working_when_its_user_leaves_the_workspace(client, workspace, member):
    _, token = api_key_create(workspace=workspace, user=member, name="mark's script")
    assert client.get("/api/v1/me", HTTP_X_API_KEY=token).status_code == 200
    member.memberships.all().delete()
    assert client.get("/api/v1/me", HTTP_X_API_KEY=token).status_code == 401


def test_a_key_of_a_deactivated_user_is_refused(client, owner, api_token):
    owner.is_active = False
    owner.save()
    assert client.get("/api/v1/me", HTTP_X_API_KEY=api_token).status_code == 401


def test_a_key_only_opens_its_own_workspace(client, other_workspace, lead):
    stranger, _ = user_get_or_create(email="sam@globex.test")
    _, token = api_key_create(workspace=other_workspace, user=stranger, name="globex")
    response = client.get(f"/api/v1/leads/{lead.pk}", HTTP_X_API_KEY=token)
    assert response.status_code == 404
