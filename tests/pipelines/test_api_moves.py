"""Moving a lead through the API: by lead id and a stage's name or kind, or by entry id."""

import json

import pytest

from pipelines.models import PipelineEntry, StageChange
from pipelines.services import entry_place, pipeline_create, pipeline_create_default
from tests.factories import LeadFactory
from tests.pipelines.conftest import stage_of


def move(api, url, body):
    return api.post(f"/api/v1{url}", json.dumps(body), content_type="application/json")


def test_it_moves_a_lead_by_stage_name_in_the_default_pipeline(api, entry, pipeline, stages):
    r = move(api, f"/leads/{entry.lead_id}/move", {"to_stage": "warm", "reason": "replied"})
    assert r.status_code == 200, r.content
    assert r.json()["stage_id"] == stages["Warm"].pk
    assert r.json()["lead"]["id"] == entry.lead_id
    assert stage_of(entry.lead, pipeline) == stages["Warm"]


def test_it_moves_a_lead_by_stage_kind(api, entry, pipeline, stages):
    r = move(api, f"/leads/{entry.lead_id}/move", {"to_stage": "customer"})
    assert r.status_code == 200, r.content
    assert stage_of(entry.lead, pipeline) == stages["Customer"]


def test_a_kind_shared_by_several_stages_is_a_422_naming_them(api, entry, pipeline, stages):
    r = move(api, f"/leads/{entry.lead_id}/move", {"to_stage": "catch_up"})
    assert r.status_code == 422
    message = " ".join(r.json()["errors"]["to_stage"])
    for n in range(1, 5):
        assert f"Catch-up {n}" in message
    assert stage_of(entry.lead, pipeline) == stages["Cold"]


def test_an_unknown_stage_is_a_422_listing_the_stages(api, entry):
    r = move(api, f"/leads/{entry.lead_id}/move", {"to_stage": "Negotiation"})
    assert r.status_code == 422
    assert "Cold" in r.json()["errors"]["to_stage"][0]


def test_it_moves_in_a_given_pipeline(api, workspace, entry, actor, pipeline, stages):
    partners = pipeline_create(workspace=workspace, name="Partners")
    entry_place(pipeline=partners, lead=entry.lead, stage=None, actor=actor)
    target = partners.stages.get(kind="warm")
    r = move(
        api,
        f"/leads/{entry.lead_id}/move",
        {"to_stage": "Warm", "pipeline_id": partners.pk},
    )
    assert r.status_code == 200, r.content
    assert r.json()["pipeline_id"] == partners.pk and r.json()["stage_id"] == target.pk
    # The default pipeline did not move.
    assert stage_of(entry.lead, pipeline) == stages["Cold"]


def test_a_lead_outside_the_pipeline_is_a_404_saying_so(api, workspace):
    partners = pipeline_create(workspace=workspace, name="Partners")
    outsider = LeadFactory(workspace=workspace)
    r = move(api, f"/leads/{outsider.pk}/move", {"to_stage": "Warm", "pipeline_id": partners.pk})
    assert r.status_code == 404
    assert "not in the pipeline Partners" in r.json()["detail"]


def test_entry_ids_are_still_accepted(api, entry, pipeline, stages):
    by_id = move(api, f"/entries/{entry.pk}/move", {"to_stage_id": stages["Engaged"].pk})
    assert by_id.status_code == 200 and by_id.json()["stage_id"] == stages["Engaged"].pk
    by_name = move(api, f"/entries/{entry.pk}/move", {"to_stage": "Warm"})
    assert by_name.status_code == 200 and by_name.json()["stage_id"] == stages["Warm"].pk


def test_the_stage_is_given_once(api, entry, stages):
    both = move(
        api,
        f"/leads/{entry.lead_id}/move",
        {"to_stage": "Warm", "to_stage_id": stages["Warm"].pk},
    )
    assert both.status_code == 422 and "to_stage" in both.json()["errors"]
    neither = move(api, f"/leads/{entry.lead_id}/move", {"reason": "?"})
    assert neither.status_code == 422 and "to_stage" in neither.json()["errors"]


def test_a_retried_move_is_no_conflict_and_writes_history_once(api, entry, stages):
    body = {"to_stage": "Warm", "expected_from_stage": "Cold"}
    first = move(api, f"/leads/{entry.lead_id}/move", body)
    again = move(api, f"/leads/{entry.lead_id}/move", body)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["stage_id"] == stages["Warm"].pk
    assert StageChange.objects.filter(entry=entry, from_stage__isnull=False).count() == 1


def test_it_is_a_conflict_only_when_the_lead_moved_elsewhere(api, entry, stages):
    move(api, f"/leads/{entry.lead_id}/move", {"to_stage": "Engaged"})
    stale = move(
        api,
        f"/leads/{entry.lead_id}/move",
        {"to_stage": "Lost", "expected_from_stage_id": stages["Cold"].pk},
    )
    assert stale.status_code == 409
    assert "now at Engaged" in stale.json()["detail"]
    assert PipelineEntry.objects.get(pk=entry.pk).stage == stages["Engaged"]


def test_another_workspaces_lead_or_stage_is_a_404(
    api, entry, stages, foreign_lead, other_workspace
):
    theirs = move(api, f"/leads/{foreign_lead.pk}/move", {"to_stage": "Warm"})
    assert theirs.status_code == 404
    their_stage = pipeline_create_default(workspace=other_workspace).stages.first()
    r = move(api, f"/leads/{entry.lead_id}/move", {"to_stage_id": their_stage.pk})
    assert r.status_code == 404


@pytest.mark.parametrize("field", ["to_stage", "expected_from_stage"])
def test_the_openapi_document_describes_the_stage_by_name(api, field):
    doc = api.get("/api/v1/openapi.json").json()
    schema = doc["components"]["schemas"]["LeadMoveIn"]
    assert field in schema["properties"]
    assert "expected_from_stage" not in schema.get("required", [])
