"""A lead's social_handles and LinkedIn URL as identities: migration, sync, and the sources API."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from crm.services.leads import lead_create, lead_update
from integrations.feed.models import SocialIdentity
from tests.crm.api.calls import delete, get, patch, post
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db


def _profile(lead) -> set[tuple[str, str]]:
    return set(
        SocialIdentity.objects.filter(lead=lead, from_profile=True).values_list("network", "value")
    )


def test_the_data_migration_turns_handles_and_linkedin_urls_into_identities(workspace):
    lead = LeadFactory(
        workspace=workspace,
        linkedin_url="https://www.linkedin.com/in/jane-doe/",
        social_handles={
            "Bluesky": "@Jane.bsky.social",
            "Twitter": "janedoe",
            "Blog": "jane.example",
            "bogus": "x",
        },
    )
    bare = LeadFactory(workspace=workspace, social_handles={"mastodon": "not a handle"})
    migration = importlib.import_module("integrations.feed.migrations.0002_identities_from_leads")

    migration.identities_from_leads(apps, None)
    migration.identities_from_leads(apps, None)  # twice: nothing duplicated

    assert _profile(lead) == {
        ("linkedin", "https://www.linkedin.com/in/jane-doe/"),
        ("bluesky", "jane.bsky.social"),
        ("x", "janedoe"),
        ("website", "https://jane.example"),
    }
    assert SocialIdentity.objects.get(lead=lead, network="linkedin").next_check_at is None
    assert not SocialIdentity.objects.filter(lead=bare).exists()


def test_a_new_lead_gets_its_identities_in_the_same_transaction(workspace, actor):
    lead, _ = lead_create(
        workspace=workspace,
        actor=actor,
        data={
            "email": "jane@example.com",
            "linkedin_url": "linkedin.com/in/jane-doe",
            "social_handles": {"bluesky": "jane.bsky.social", "youtube": "UC" + "b" * 22},
        },
    )
    assert _profile(lead) == {
        ("linkedin", "https://www.linkedin.com/in/jane-doe/"),
        ("bluesky", "jane.bsky.social"),
        ("youtube", "https://www.youtube.com/feeds/videos.xml?channel_id=UC" + "b" * 22),
    }


def test_changing_social_handles_adds_and_removes_profile_identities(workspace, actor, lead):
    lead_update(lead=lead, actor=actor, data={"social_handles": {"bluesky": "a.bsky.social"}})
    handmade = SocialIdentity.objects.create(
        workspace=workspace, lead=lead, network="rss", value="https://jane.example/feed"
    )
    lead_update(
        lead=lead,
        actor=actor,
        data={
            "social_handles": {
                "mastodon": "@jane@mastodon.social",
                "rss": "https://jane.example/feed",
            }
        },
    )
    assert _profile(lead) == {
        ("mastodon", "@jane@mastodon.social"),
        ("rss", "https://jane.example/feed"),
    }
    handmade.refresh_from_db()
    assert handmade.from_profile  # adopted, not duplicated


def test_the_lead_api_keeps_social_handles_working(api, workspace):
    created = post(
        api, "/leads", {"email": "a@b.example", "social_handles": {"bluesky": "ada.bsky.social"}}
    )
    lead_id = created.json()["id"]
    assert created.json()["social_handles"] == {"bluesky": "ada.bsky.social"}
    sources = get(api, f"/leads/{lead_id}/sources").json()
    assert [(s["network"], s["value"], s["from_profile"]) for s in sources] == [
        ("bluesky", "ada.bsky.social", True)
    ]

    # A source added through the sources API shows in social_handles, and leaves with it.
    added = post(
        api, f"/leads/{lead_id}/sources", {"network": "mastodon", "value": "@ada@fosstodon.org"}
    )
    assert added.status_code == 201
    assert get(api, f"/leads/{lead_id}").json()["social_handles"] == {
        "bluesky": "ada.bsky.social",
        "mastodon": "@ada@fosstodon.org",
    }
    assert delete(api, f"/sources/{added.json()['id']}").status_code == 204
    assert get(api, f"/leads/{lead_id}").json()["social_handles"] == {"bluesky": "ada.bsky.social"}


def test_adding_the_same_source_again_returns_it(api, lead):
    first = post(
        api,
        f"/leads/{lead.pk}/sources",
        {"network": "rss", "value": "https://jane.example/feed.xml"},
    )
    again = post(
        api,
        f"/leads/{lead.pk}/sources",
        {"network": "rss", "value": "https://jane.example/feed.xml"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["feed_url"] == "https://jane.example/feed.xml"
    assert first.json()["next_check_at"] is not None


def test_a_malformed_source_is_a_422_with_the_reason(api, lead):
    response = post(
        api, f"/leads/{lead.pk}/sources", {"network": "bluesky", "value": "not a handle!"}
    )
    assert response.status_code == 422
    assert "Bluesky handle" in response.json()["errors"]["value"][0]


def test_company_sources_and_their_changes(api, workspace):
    company = CompanyFactory(workspace=workspace)
    added = post(
        api, f"/companies/{company.pk}/sources", {"network": "website", "value": "acme.example"}
    )
    source_id = added.json()["id"]
    assert added.status_code == 201 and added.json()["company_id"] == company.pk
    assert [s["id"] for s in get(api, f"/companies/{company.pk}/sources").json()] == [source_id]

    off = patch(api, f"/sources/{source_id}", {"enabled": False})
    assert off.json()["enabled"] is False
    SocialIdentity.objects.filter(pk=source_id).update(
        needs_attention="broken", consecutive_failures=5
    )
    retried = post(api, f"/sources/{source_id}/retry").json()
    assert (retried["needs_attention"], retried["consecutive_failures"], retried["enabled"]) == (
        "",
        0,
        True,
    )


def test_another_workspaces_sources_are_not_found(api, foreign_lead, other_workspace):
    foreign = SocialIdentity.objects.create(
        workspace=other_workspace, lead=foreign_lead, network="rss", value="https://x.example/f"
    )
    assert get(api, f"/leads/{foreign_lead.pk}/sources").status_code == 404
    assert (
        post(
            api,
            f"/leads/{foreign_lead.pk}/sources",
            {"network": "rss", "value": "https://y.example"},
        ).status_code
        == 404
    )
    assert get(api, f"/sources/{foreign.pk}").status_code == 404
    assert patch(api, f"/sources/{foreign.pk}", {"enabled": False}).status_code == 404
    assert delete(api, f"/sources/{foreign.pk}").status_code == 404
    assert SocialIdentity.objects.filter(pk=foreign.pk, enabled=True).exists()
