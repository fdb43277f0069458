"""Settings: owners and admins manage the team and the custom fields; leads can be deleted."""

from __future__ import annotations

from crm.models import CustomFieldDefinition, Lead, Membership
from crm.services.workspaces import membership_add, user_get_or_create

SETTINGS = "/w/acme/settings/"


def test_an_owner_invites_a_new_member_who_chooses_a_password(web, workspace):
    # Was: a generated password shown once to hand over; now an invitation by email
    # (tests/crm/web/test_team_invitations.py follows the link).
    response = web.post(
        SETTINGS + "members/", {"email": "Nina@Acme.test", "role": "member"}, follow=True
    )
    html = response.content.decode()
    assert "Invitation sent to nina@acme.test" in html
    assert "new-member-password" not in html
    assert Membership.objects.get(workspace=workspace, user__email="nina@acme.test")


def test_an_existing_person_is_added_without_a_new_password(web, workspace, stranger):
    response = web.post(SETTINGS + "members/", {"email": stranger.email, "role": "admin"})
    assert response.status_code == 302
    assert Membership.objects.get(workspace=workspace, user=stranger).role == "admin"
    assert "new-member-password" not in web.get(SETTINGS).content.decode()


def test_a_bad_email_is_explained_on_the_form(web):
    response = web.post(SETTINGS + "members/", {"email": "not-an-email", "role": "member"})
    assert response.status_code == 422
    assert "Enter a valid email address." in response.content.decode()


def test_members_cannot_change_the_team(client, workspace, member, stranger):
    client.force_login(member)
    client.post(SETTINGS + "members/", {"email": stranger.email, "role": "member"})
    assert not Membership.objects.filter(user=stranger, workspace=workspace).exists()
    refused = client.post(SETTINGS + "custom-fields/", {"label": "Budget", "field_type": "number"})
    assert refused.status_code == 302
    assert not CustomFieldDefinition.objects.exists()


def test_only_an_owner_makes_owners(client, workspace, owner, member):
    admin, _ = user_get_or_create(email="ada@acme.test", password="correct horse battery")
    membership_add(workspace=workspace, user=admin, role="admin")
    client.force_login(admin)
    response = client.post(SETTINGS + "members/", {"email": member.email, "role": "owner"})
    assert response.status_code == 422
    client.post(SETTINGS + f"members/{owner.pk}/", {"remove": "1"})
    assert Membership.objects.get(workspace=workspace, user=owner).role == "owner"
    client.post(SETTINGS + f"members/{member.pk}/", {"role": "admin"})
    assert Membership.objects.get(workspace=workspace, user=member).role == "admin"
    # Nor can an admin demote an owner by "adding" them again with another role.
    membership_add(workspace=workspace, user=member, role="owner")
    again = client.post(SETTINGS + "members/", {"email": owner.email, "role": "member"})
    assert again.status_code == 403
    assert "Only an owner can change an owner." in again.content.decode()
    assert Membership.objects.get(workspace=workspace, user=owner).role == "owner"


def test_the_last_owner_stays_an_owner(web, workspace, owner, member):
    demote = web.post(SETTINGS + f"members/{owner.pk}/", {"role": "member"}, follow=True)
    assert "at least one owner" in demote.content.decode()
    web.post(SETTINGS + f"members/{owner.pk}/", {"remove": "1"})
    assert Membership.objects.get(workspace=workspace, user=owner).role == "owner"
    web.post(SETTINGS + f"members/{member.pk}/", {"remove": "1"})
    assert not Membership.objects.filter(workspace=workspace, user=member).exists()


def test_another_workspaces_member_is_not_found(web, other_workspace, stranger):
    assert web.post(SETTINGS + f"members/{stranger.pk}/", {"remove": "1"}).status_code == 404
    assert Membership.objects.filter(workspace=other_workspace, user=stranger).exists()


def test_custom_fields_are_defined_with_their_type(web, workspace):
    missing = web.post(SETTINGS + "custom-fields/", {"label": "Seniority", "field_type": "choice"})
    assert missing.status_code == 422
    assert "A choice field needs at least one choice." in missing.content.decode()
    web.post(
        SETTINGS + "custom-fields/",
        {"label": "Seniority level", "field_type": "choice", "choices": "C-level, VP"},
    )
    field = CustomFieldDefinition.objects.get(workspace=workspace)
    assert (field.key, field.choices) == ("seniority_level", ["C-level", "VP"])
    assert "seniority_level" in web.get(SETTINGS).content.decode()


def test_a_lead_is_deleted_from_its_page(web, lead, foreign_lead):
    response = web.post(f"/w/acme/leads/{lead.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/w/acme/leads/"
    assert not Lead.objects.filter(pk=lead.pk).exists()
    assert web.post(f"/w/acme/leads/{foreign_lead.pk}/delete/").status_code == 404
    assert web.get(f"/w/acme/leads/{foreign_lead.pk}/delete/").status_code == 405
    assert Lead.objects.filter(pk=foreign_lead.pk).exists()
