"""The pipelines API: moves and their 409, the rules' endpoints, referrals, reports, isolation."""

import json

import pytest
from django.test import Client

from crm.services.api_keys import api_key_create
from pipelines.models import PipelineEntry
from pipelines.services import entries_place_new_leads, pipeline_create_default
from tests.factories import LeadFactory


def post(client, url, body, method="post"):
    return getattr(client, method)(
        f"/api/v1{url}", json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def member_api(workspace, member):
    _, token = api_key_create(workspace=workspace, user=member, name="member")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def stranger_api(other_workspace, stranger):
    _, token = api_key_create(workspace=other_workspace, user=stranger, name="theirs")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_it_lists_the_default_pipeline_with_its_stages(api, workspace):
    body = api.get("/api/v1/pipelines").json()
    assert [p["name"] for p in body] == ["Sales"]
    assert body[0]["stages"][0] == {**body[0]["stages"][0], "name": "Cold", "kind": "cold"}


def test_a_move_answers_the_entry_and_a_stale_move_409(api, entry, stages):
    url = f"/entries/{entry.pk}/move"
    ok = post(
        api,
        url,
        {
            "to_stage_id": stages["Warm"].pk,
            "expected_from_stage_id": stages["Cold"].pk,
            "reason": "call",
        },
    )
    assert ok.status_code == 200 and ok.json()["stage_id"] == stages["Warm"].pk
    stale = post(
        api, url, {"to_stage_id": stages["Lost"].pk, "expected_from_stage_id": stages["Cold"].pk}
    )
    assert stale.status_code == 409
    assert "Warm" in stale.json()["detail"]
    history = api.get(f"/api/v1/entries/{entry.pk}/history").json()
    assert [h["reason"] for h in history] == ["call", "Entered the pipeline"]


def test_the_board_and_a_column_page(api, workspace, pipeline, stages, actor):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    entries_place_new_leads(workspace=workspace, lead_ids=[x.pk for x in leads], actor=actor)
    entry = PipelineEntry.objects.get(lead=leads[0])
    patched = post(
        api, f"/entries/{entry.pk}", {"value_minor": 990_00, "currency": "EUR"}, method="patch"
    )
    assert patched.status_code == 200
    board = api.get(f"/api/v1/pipelines/{pipeline.pk}/board").json()
    cold = board["columns"][0]
    assert cold["count"] == 3
    assert cold["totals"]["EUR"] == {"total": 99000, "weighted": 4950}
    page = api.get(f"/api/v1/stages/{stages['Cold'].pk}/entries?limit=2").json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.get(f"/api/v1/stages/{stages['Cold'].pk}/entries?cursor={page['next_cursor']}")
    assert len(rest.json()["items"]) == 1


def test_rule_endpoints_move_the_lead(api, lead, stages):
    r = post(api, f"/leads/{lead.pk}/engagements", {"kind": "commented", "body": "Nice post"})
    assert r.status_code == 201 and r.json()[0]["stage_id"] == stages["Engaged"].pk
    r = post(api, f"/leads/{lead.pk}/replies", {"event_key": "msg-1"})
    assert r.json()[0]["stage_id"] == stages["Warm"].pk
    r = post(
        api,
        f"/leads/{lead.pk}/payments",
        {"amount_minor": 12000, "currency": "EUR", "event_key": "evt_9"},
    )
    assert r.json()[0]["stage_id"] == stages["Customer"].pk
    assert r.json()[0]["value_minor"] == 12000
    r = post(api, f"/leads/{lead.pk}/conversations", {"kind": "call"})
    assert r.json()[0]["stage_id"] == stages["Catch-up 1"].pk
    bad = post(api, f"/leads/{lead.pk}/engagements", {"kind": "hugged"})
    assert bad.status_code == 422


def test_recording_referrals_through_the_api(api, lead):
    r = post(
        api,
        f"/leads/{lead.pk}/referrals",
        {
            "people": [
                {"first_name": "Ada", "email": "ada@x.test"},
                {"first_name": "Alan", "email": "alan@x.test"},
            ]
        },
    )
    assert r.status_code == 201
    assert [p["name"] for p in r.json()["referrals"]] == ["Alan", "Ada"]
    ada = r.json()["referrals"][1]["id"]
    back = api.get(f"/api/v1/leads/{ada}/referrals").json()
    assert back["referred_by"]["id"] == lead.pk
    bad = post(api, f"/leads/{lead.pk}/referrals", {"people": [{"first_name": "nobody"}]})
    assert bad.status_code == 422 and "people.0.email" in bad.json()["errors"]


def test_stage_changes_are_for_admins(api, member_api, pipeline, stages):
    body = {"name": "Demo", "kind": "warm", "probability": 50}
    assert post(member_api, f"/pipelines/{pipeline.pk}/stages", body).status_code == 403
    created = post(api, f"/pipelines/{pipeline.pk}/stages", body)
    assert created.status_code == 201
    assert (
        post(
            api, f"/stages/{created.json()['id']}", {"name": "Demo booked"}, method="patch"
        ).json()["name"]
        == "Demo booked"
    )
    assert api.delete(f"/api/v1/stages/{created.json()['id']}").json() == {"moved": 0}
    assert (
        post(
            member_api, "/pipeline-settings", {"reply_moves_to_warm": False}, method="patch"
        ).status_code
        == 403
    )
    assert (
        post(api, "/pipeline-settings", {"reply_moves_to_warm": False}, method="patch").json()[
            "reply_moves_to_warm"
        ]
        is False
    )


def test_removing_a_stage_with_leads_needs_a_destination(api, entry, stages):
    r = api.delete(f"/api/v1/stages/{stages['Cold'].pk}")
    assert r.status_code == 422 and "move_to" in r.json()["errors"]
    r = api.delete(f"/api/v1/stages/{stages['Cold'].pk}?move_to_stage_id={stages['Warm'].pk}")
    assert r.json() == {"moved": 1}


def test_reports_answer_json(api, entry, stages):
    assert api.get("/api/v1/reports/pipeline-value").json()[0]["count"] == 1
    conv = api.get("/api/v1/reports/conversion").json()
    assert conv[0]["from_stage"] == "Cold" and conv[0]["entered"] == 1
    assert api.get("/api/v1/reports/time-in-stage").status_code == 200
    assert api.get("/api/v1/reports/referrals").json() == []
    assert api.get("/api/v1/reports/catch-ups-due").json()["count"] == 0
    assert api.get("/api/v1/reports/today").json()["moved_today"] == 0
    bad = api.get(
        "/api/v1/reports/conversion?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z"
    )
    assert bad.status_code == 422


def test_another_workspace_sees_nothing_of_acme(stranger_api, entry, pipeline, stages, lead):
    assert stranger_api.get(f"/api/v1/pipelines/{pipeline.pk}").status_code == 404
    assert stranger_api.get(f"/api/v1/pipelines/{pipeline.pk}/board").status_code == 404
    assert stranger_api.get(f"/api/v1/stages/{stages['Cold'].pk}/entries").status_code == 404
    assert stranger_api.get(f"/api/v1/entries/{entry.pk}").status_code == 404
    assert stranger_api.get(f"/api/v1/entries/{entry.pk}/history").status_code == 404
    move = post(
        stranger_api,
        f"/entries/{entry.pk}/move",
        {"to_stage_id": stages["Warm"].pk, "expected_from_stage_id": stages["Cold"].pk},
    )
    assert move.status_code == 404
    assert (
        post(
            stranger_api, f"/leads/{lead.pk}/referrals", {"people": [{"email": "x@y.test"}]}
        ).status_code
        == 404
    )
    assert stranger_api.get(f"/api/v1/leads/{lead.pk}/pipelines").status_code == 404
    names = [p["name"] for p in stranger_api.get("/api/v1/pipelines").json()]
    assert (
        names == ["Sales"] and stranger_api.get("/api/v1/pipelines").json()[0]["id"] != pipeline.pk
    )


def test_a_move_to_another_workspaces_stage_is_404(api, entry, stages, other_workspace):
    theirs = pipeline_create_default(workspace=other_workspace).stages.first()
    r = post(
        api,
        f"/entries/{entry.pk}/move",
        {"to_stage_id": theirs.pk, "expected_from_stage_id": stages["Cold"].pk},
    )
    assert r.status_code == 404


def test_without_a_key_it_is_401(client, pipeline):
    assert client.get("/api/v1/pipelines").status_code == 401
