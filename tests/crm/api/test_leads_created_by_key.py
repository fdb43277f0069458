"""POST /leads with an API key: the key's person owns the lead, and the source says "api"."""

from __future__ import annotations

from django.test import Client

from crm.services.api_keys import api_key_create

from .calls import post


def test_a_lead_created_with_a_key_is_owned_by_the_keys_user_with_source_api(api, owner):
    body = post(api, "/leads", {"email": "new@initech.test"}).json()
    assert body["owner"]["email"] == owner.email
    assert body["source"] == "api"


def test_a_members_key_makes_the_member_the_owner(workspace, member):
    _, token = api_key_create(workspace=workspace, user=member, name="member")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = post(client, "/leads", {"email": "other@initech.test"}).json()
    assert body["owner"]["email"] == member.email


def test_an_owner_and_source_given_are_kept(api, member):
    body = post(
        api,
        "/leads",
        {"email": "given@initech.test", "owner_id": member.pk, "source": "Conference"},
    ).json()
    assert body["owner"]["email"] == member.email and body["source"] == "Conference"
    unowned = post(api, "/leads", {"email": "nobody@initech.test", "owner_id": None}).json()
    assert unowned["owner"] is None
