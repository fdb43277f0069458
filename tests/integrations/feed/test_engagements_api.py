"""/api/v1/engagements and /api/v1/goals: create, list, goals get/set/progress, scoping."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from crm.models import ActivityKind
from crm.services.api_keys import api_key_create
from pipelines.models import PipelineEntry
from tests.factories import LeadFactory
from tests.integrations.feed.engagement_data import make_post

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def post_json(api: Client, path: str, body: dict):
    return api.post(BASE + path, json.dumps(body), content_type="application/json")


def put_json(api: Client, path: str, body: dict):
    return api.put(BASE + path, json.dumps(body), content_type="application/json")


def test_creating_an_engagement_logs_it_and_moves_the_lead(api, lead):
    post = make_post(lead=lead)
    response = post_json(api, "/engagements", {"post_id": post.pk, "kind": "commented",
                                               "comment": "Agreed!"})  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lead_id"] == lead.pk and body["post_id"] == post.pk
    activity = lead.activities.get(kind=ActivityKind.COMMENTED)
    assert activity.pk == body["activity_id"] and activity.payload["post_id"] == post.pk
    assert PipelineEntry.objects.get(lead=lead).stage.name == "Engaged"


def test_the_same_engagement_again_is_a_200_with_the_first(api, lead):
    post = make_post(lead=lead)
    first = post_json(api, "/engagements", {"post_id": post.pk, "kind": "liked"}).json()
    again = post_json(api, "/engagements", {"post_id": post.pk, "kind": "liked"})
    assert again.status_code == 200 and again.json()["id"] == first["id"]


def test_a_connection_needs_only_the_lead(api, lead):
    response = post_json(api, "/engagements", {"lead_id": lead.pk, "kind": "connected"})
    assert response.status_code == 201
    assert response.json()["post_id"] is None


def test_bad_input_is_a_422(api, lead):
    assert post_json(api, "/engagements", {"lead_id": lead.pk, "kind": "loved"}).status_code == 422
    assert (
        post_json(api, "/engagements", {"lead_id": lead.pk, "kind": "skipped"}).status_code == 422
    )
    assert post_json(api, "/engagements", {"kind": "liked"}).status_code == 422
    extra = {"lead_id": lead.pk, "kind": "liked", "colour": "red"}
    assert post_json(api, "/engagements", extra).status_code == 422


def test_another_workspaces_lead_or_post_is_a_404(api, foreign_lead):
    post = make_post(lead=foreign_lead)
    assert post_json(api, "/engagements", {"post_id": post.pk, "kind": "liked"}).status_code == 404
    assert post_json(
        api, "/engagements", {"lead_id": foreign_lead.pk, "kind": "liked"}
    ).status_code == 404  # fmt: skip


def test_listing_is_newest_first_paged_and_scoped(api, workspace, lead, other_workspace, stranger):
    for _ in range(3):
        post_json(api, "/engagements", {"post_id": make_post(lead=lead).pk, "kind": "liked"})
    _, token = api_key_create(workspace=other_workspace, user=stranger, name="globex")
    globex = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert globex.get(BASE + "/engagements").json()["items"] == []
    page = api.get(BASE + "/engagements", {"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    assert page["items"][0]["id"] > page["items"][1]["id"]
    rest = api.get(BASE + "/engagements", {"limit": 2, "cursor": page["next_cursor"]}).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert api.get(BASE + "/engagements", {"lead_id": lead.pk, "kind": "liked"}).json()["items"]


def test_goals_are_read_and_set(api):
    assert api.get(BASE + "/goals").json() == {"engagements": 20, "comments": 5, "time_zone": "UTC"}
    response = put_json(api, "/goals", {"engagements": 40, "time_zone": "America/New_York"})
    assert response.status_code == 200
    assert response.json() == {"engagements": 40, "comments": 5, "time_zone": "America/New_York"}
    assert put_json(api, "/goals", {"time_zone": "Atlantis/Capital"}).status_code == 422
    assert put_json(api, "/goals", {"comments": -2}).status_code == 422


def test_progress_counts_today_in_the_members_zone(api, lead):
    post_json(api, "/engagements", {"post_id": make_post(lead=lead).pk, "kind": "commented"})
    body = api.get(BASE + "/goals/progress").json()
    assert body["engagements"] == 1 and body["comments"] == 1
    assert len(body["last_days"]) == 7 and body["last_days"][-1]["engagements"] == 1


def test_only_owners_and_admins_see_another_members_progress(
    api, workspace, member, owner, stranger
):
    assert api.get(BASE + "/goals/progress", {"user_id": member.pk}).status_code == 200
    assert api.get(BASE + "/goals/progress", {"user_id": stranger.pk}).status_code == 404
    _, token = api_key_create(workspace=workspace, user=member, name="mark")
    mark = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert mark.get(BASE + "/goals/progress", {"user_id": owner.pk}).status_code == 403


def test_the_endpoints_are_in_the_openapi_document(api):
    paths = api.get(BASE + "/openapi.json").json()["paths"]
    assert {"/api/v1/engagements", "/api/v1/goals", "/api/v1/goals/progress"} <= set(paths)


def test_an_unknown_other_lead_on_a_company_post_is_refused(api, workspace):
    lead = LeadFactory(workspace=workspace)
    post = make_post(lead=LeadFactory(workspace=workspace))
    response = post_json(
        api, "/engagements", {"post_id": post.pk, "lead_id": lead.pk, "kind": "liked"}
    )
    assert response.status_code == 422
