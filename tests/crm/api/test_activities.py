"""A lead's timeline, and notes added to it."""

from __future__ import annotations

from crm.actors import Actor
from crm.models import Activity, ActivityKind
from crm.services.activities import activity_record

from .calls import get, post


def test_a_note_lands_on_the_timeline_newest_first(api, lead, owner):
    activity_record(lead=lead, kind=ActivityKind.LIKED, actor=Actor.integration("bluesky"))
    response = post(api, f"/leads/{lead.pk}/notes", {"body": " Met at SaaStr ", "catch_up": True})
    assert response.status_code == 201
    note = response.json()
    assert note["kind"] == "note" and note["body"] == "Met at SaaStr"
    assert note["actor_user"]["id"] == owner.pk
    assert note["payload"] == {"catch_up": True}
    timeline = get(api, f"/leads/{lead.pk}/activities").json()
    assert [(a["kind"], a["actor_type"], a["actor_name"]) for a in timeline] == [
        ("note", "user", ""),
        ("liked", "integration", "bluesky"),
    ]


def test_the_timeline_returns_the_latest_entries_up_to_the_limit(api, lead, actor):
    for i in range(5):
        activity_record(lead=lead, kind=ActivityKind.CALL, actor=actor, body=f"call {i}")
    bodies = [a["body"] for a in get(api, f"/leads/{lead.pk}/activities", {"limit": 2}).json()]
    assert bodies == ["call 4", "call 3"]
    assert get(api, f"/leads/{lead.pk}/activities", {"limit": 201}).status_code == 422


def test_a_note_needs_words(api, lead):
    for body in ({"body": "   "}, {"body": "x" * 10_001}, {}, {"body": "hi", "pinned": True}):
        response = post(api, f"/leads/{lead.pk}/notes", body)
        assert response.status_code == 422, body
    assert not Activity.objects.filter(kind=ActivityKind.NOTE).exists()


def test_another_workspaces_timeline_is_not_found(api, foreign_lead):
    assert get(api, f"/leads/{foreign_lead.pk}/activities").status_code == 404
    assert post(api, f"/leads/{foreign_lead.pk}/notes", {"body": "hi"}).status_code == 404
    assert not Activity.objects.filter(lead=foreign_lead).exists()
