"""Team services: owners and admins manage the team, only owners touch owners."""

from __future__ import annotations

import pytest

from crm.errors import PermissionDenied, ValidationFailed
from crm.models import Membership
from crm.services.workspaces import membership_add, team_member_add, team_member_change


def test_members_cannot_manage_the_team(workspace, member):
    with pytest.raises(PermissionDenied):
        team_member_add(workspace=workspace, by=member, email="new@acme.test", role="member")
    assert not Membership.objects.filter(user__email="new@acme.test").exists()


def test_admins_manage_members_but_not_owners(workspace, owner, member):
    membership_add(workspace=workspace, user=member, role="admin")
    added = team_member_add(workspace=workspace, by=member, email="new@acme.test", role="member")
    # Nobody hands a password over: the newcomer chooses one from the invitation.
    assert added.role == "member" and not added.user.has_usable_password()
    with pytest.raises(ValidationFailed):
        team_member_add(workspace=workspace, by=member, email="new@acme.test", role="owner")
    with pytest.raises(PermissionDenied):
        team_member_add(workspace=workspace, by=member, email=owner.email, role="member")
    owner_membership = Membership.objects.get(workspace=workspace, user=owner)
    with pytest.raises(PermissionDenied):
        team_member_change(workspace=workspace, by=member, membership=owner_membership, role=None)
    assert Membership.objects.get(workspace=workspace, user=owner).role == "owner"


def test_an_owner_hands_over_ownership(workspace, owner, member):
    team_member_change(
        workspace=workspace,
        by=owner,
        membership=Membership.objects.get(workspace=workspace, user=member),
        role="owner",
    )
    team_member_change(
        workspace=workspace,
        by=member,
        membership=Membership.objects.get(workspace=workspace, user=owner),
        role=None,
    )
    assert list(Membership.objects.filter(workspace=workspace).values_list("role", flat=True)) == [
        "owner"
    ]
