"""Inviting people by email, resetting a password through Django's views, and one display name
for a person on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from crm.models import Membership
from pipelines.services import entries_place_new_leads, pipeline_create_default
from tests.factories import LeadFactory, TaskFactory

SETTINGS = "/w/acme/settings/"


def link_in(message) -> str:
    found = re.search(r"https?://testserver(/\S+)", message.body)
    assert found, message.body
    return found[1]


def test_an_invited_person_chooses_their_password_from_the_email(web, workspace):
    response = web.post(
        SETTINGS + "members/",
        {"email": "Nina@Acme.test", "name": "Nina Ricci", "role": "member"},
        follow=True,
    )
    assert "Invitation sent to nina@acme.test" in response.content.decode()
    membership = Membership.objects.get(workspace=workspace, user__email="nina@acme.test")
    assert not membership.user.has_usable_password()
    assert "Invited" in web.get(SETTINGS).content.decode()
    (message,) = mail.outbox
    assert message.to == ["nina@acme.test"]
    assert message.subject == "olivia@acme.test invited you to Acme Sales on Kindling"

    newcomer = Client()
    form = newcomer.get(link_in(message), follow=True)
    assert "Choose a password for nina@acme.test" in form.content.decode()
    joined = newcomer.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long pass phrase", "new_password2": "a long pass phrase"},
        follow=True,
    )
    assert joined.redirect_chain[-1][0] == "/w/acme/"
    assert "Nina" in joined.content.decode()
    assert Client().login(username="nina@acme.test", password="a long pass phrase")
    # The link worked once.
    again = Client().get(link_in(message), follow=True)
    assert "This invitation no longer works" in again.content.decode()


def test_no_password_is_ever_shown_to_the_admin(web, workspace):
    html = web.post(
        SETTINGS + "members/", {"email": "nina@acme.test", "role": "member"}, follow=True
    ).content.decode()
    assert "new-member-password" not in html and "hand it over" not in html


def test_an_invitation_can_be_sent_again(web, workspace):
    web.post(SETTINGS + "members/", {"email": "nina@acme.test", "role": "member"})
    nina = Membership.objects.get(user__email="nina@acme.test").user
    response = web.post(SETTINGS + f"members/{nina.pk}/invite/", follow=True)
    assert "Invitation sent again" in response.content.decode()
    assert len(mail.outbox) == 2


def test_someone_with_an_account_is_added_without_an_invitation(web, workspace, stranger):
    web.post(SETTINGS + "members/", {"email": stranger.email, "role": "admin"})
    assert Membership.objects.get(workspace=workspace, user=stranger).role == "admin"
    assert mail.outbox == []


def test_members_cannot_invite(client, workspace, member):
    client.force_login(member)
    client.post(SETTINGS + "members/", {"email": "nina@acme.test", "role": "member"})
    assert mail.outbox == [] and not Membership.objects.filter(user__email="nina@acme.test")


def test_a_forgotten_password_is_reset_through_djangos_views(client, owner):
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login
    sent = client.post(reverse("password_reset"), {"email": "Olivia@Acme.test"}, follow=True)
    assert "Check your email" in sent.content.decode()
    (message,) = mail.outbox
    form = client.get(link_in(message), follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another pass phrase", "new_password2": "another pass phrase"},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    assert Client().login(username="olivia@acme.test", password="another pass phrase")
    assert not Client().login(username="olivia@acme.test", password="correct horse battery")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, db):
    sent = client.post(reverse("password_reset"), {"email": "nobody@acme.test"}, follow=True)
    assert "Check your email" in sent.content.decode() and mail.outbox == []


@pytest.fixture
def named(owner, member, workspace, actor):
    owner.first_name, owner.last_name = "Olivia", "Owens"
    owner.save()
    lead = LeadFactory(workspace=workspace, owner=owner)
    pipeline_create_default(workspace=workspace)
    entries_place_new_leads(workspace=workspace, lead_ids=[lead.pk], actor=actor)
    TaskFactory(workspace=workspace, lead=lead, assignee=owner)
    return lead


def test_a_person_has_one_display_name_everywhere(web, api, workspace, named, member):
    web.force_login(member)  # someone else looks, so the owner's name is shown, not "you"
    pages = {
        "team": SETTINGS,
        "lead": f"/w/acme/leads/{named.pk}/",
        "board": "/w/acme/pipeline/",
        "tasks": "/w/acme/tasks/?view=all&whose=all",
    }
    for where, url in pages.items():
        html = web.get(url).content.decode()
        assert "Olivia Owens" in html, where
    web.force_login(named.owner)
    assert "Olivia Owens" in web.get("/w/acme/").content.decode()
    assert api.get(f"/api/v1/leads/{named.pk}").json()["owner"]["name"] == "Olivia Owens"
