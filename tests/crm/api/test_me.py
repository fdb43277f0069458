"""GET /me: the key's person and workspace, and nothing secret."""

from __future__ import annotations

from crm.models import ApiKey

from .calls import get


def test_it_names_the_keys_user_and_workspace(api, owner, workspace):
    response = get(api, "/me")
    assert response.status_code == 200
    assert response.json() == {
        "user": {"id": owner.pk, "email": "olivia@acme.test", "name": "olivia@acme.test"},
        "workspace": {"id": workspace.pk, "name": "Acme Sales", "slug": "acme"},
        "role": "owner",
        "key_name": "tests",
    }


def test_it_never_shows_the_key_or_its_hash(api, api_token):
    body = get(api, "/me").content.decode()
    key = ApiKey.objects.get()
    assert api_token not in body
    assert key.hashed_secret not in body
    # kdl_<prefix>_<secret>; the secret itself may contain "_", so split twice only.
    assert api_token.split("_", 2)[2] not in body
