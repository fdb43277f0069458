import pytest
from django.core.management import call_command

from crm.errors import Conflict, PermissionDenied, ValidationFailed
from crm.models import ApiKey, Membership, Workspace
from crm.services.api_keys import api_key_authenticate, api_key_create, api_key_revoke
from crm.services.workspaces import user_get_or_create, workspace_create


def test_a_key_is_shown_once_and_stored_hashed(workspace, owner):
    key, token = api_key_create(workspace=workspace, user=owner, name="zapier")
    assert token.startswith("kdl_")
    stored = ApiKey.objects.get(pk=key.pk)
    assert token.split("_", 2)[2] not in stored.hashed_secret
    assert api_key_authenticate(token) == key


@pytest.mark.parametrize("bad", ["", "kdl_", "kdl_abc", "nope", "kdl_abcdef123456_wrong"])
def test_bad_tokens_are_rejected(workspace, owner, bad):
    api_key_create(workspace=workspace, user=owner, name="x")
    assert api_key_authenticate(bad) is None


def test_a_revoked_key_stops_working(workspace, owner):
    key, token = api_key_create(workspace=workspace, user=owner, name="x")
    api_key_revoke(key=key)
    assert api_key_authenticate(token) is None


def test_a_key_stops_working_when_its_user_leaves(workspace, member):
    _, token = api_key_create(workspace=workspace, user=member, name="x")
    Membership.objects.filter(user=member).delete()
    assert api_key_authenticate(token) is None


def test_only_members_get_keys(workspace, stranger):
    with pytest.raises(PermissionDenied):
        api_key_create(workspace=workspace, user=stranger, name="x")


def test_workspace_slugs_are_checked_and_unique(owner):
    workspace_create(name="Acme", slug="acme", owner=owner)
    with pytest.raises(Conflict):
        workspace_create(name="Acme 2", slug="ACME", owner=owner)
    with pytest.raises(ValidationFailed):
        workspace_create(name="x", slug="-bad slug-", owner=owner)


def test_a_new_user_without_password_gets_one_generated(db):
    user, generated = user_get_or_create(email=" New@Person.test ")
    assert user.email == "new@person.test" and generated and user.check_password(generated)
    again, none = user_get_or_create(email="new@person.test")
    assert again == user and none is None


def test_create_workspace_command_prints_the_password(db, capsys):
    call_command("create_workspace", "initech", "--owner", "bill@initech.test")
    out = capsys.readouterr().out
    assert "Password for bill@initech.test:" in out
    workspace = Workspace.objects.get(slug="initech")
    assert workspace.memberships.get().role == "owner"


def test_create_workspace_command_with_a_password_prints_none(db, capsys):
    call_command("create_workspace", "initech", "--owner", "b@i.test", "--password", "s3cret-pass")
    assert "Password" not in capsys.readouterr().out


def test_create_api_key_command_prints_a_working_token(workspace, owner, capsys):
    call_command("create_api_key", "--workspace", "acme", "--user", owner.email)
    token = capsys.readouterr().out.strip()
    assert api_key_authenticate(token).user == owner


def test_load_demo_is_loaded_once(db):
    call_command("load_demo", "--leads", "30")
    call_command("load_demo", "--leads", "30")
    demo = Workspace.objects.get(slug="demo")
    # The 30 generated leads and the two people one demo customer referred.
    assert demo.leads.count() == 32
    assert demo.lead_lists.count() == 3
