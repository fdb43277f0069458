"""Every door that creates a lead or a workspace ends in the pipeline, through the event seam."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.urls import reverse

from crm.models import Event, Lead, Workspace
from pipelines.models import Pipeline, PipelineEntry, StageChange
from pipelines.services import referrals_record, rule_customer_paid
from tests.crm.api.calls import JSON
from tests.factories import LeadFactory


def _stage_kind(lead: Lead) -> str:
    return PipelineEntry.objects.select_related("stage").get(lead=lead).stage.kind


def test_a_new_workspace_gets_its_default_pipeline_from_its_created_event(owner):
    call_command("create_workspace", "initech", "--owner", owner.email)
    workspace = Workspace.objects.get(slug="initech")
    assert Pipeline.objects.filter(workspace=workspace).count() == 1
    assert Event.objects.filter(workspace=workspace, type="workspace.created").count() == 1


def test_a_lead_added_in_the_ui_starts_cold(web, workspace):
    response = web.post(
        reverse("crm:lead_new", kwargs={"ws": workspace.slug}),
        {"email": "ui@example.com", "first_name": "Uma", "email_status": "unknown"},
    )
    assert response.status_code == 302
    assert _stage_kind(Lead.objects.get(email="ui@example.com")) == "cold"


def test_a_lead_created_through_the_api_starts_cold(api):
    response = api.post(
        "/api/v1/leads", json.dumps({"email": "api@example.com"}), content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert _stage_kind(Lead.objects.get(email="api@example.com")) == "cold"


def test_referred_people_start_warm_without_a_cold_detour(workspace, actor):
    customer = LeadFactory(workspace=workspace)
    (friend,) = referrals_record(
        customer=customer, people=[{"email": "friend@example.com"}], actor=actor
    )
    assert _stage_kind(friend) == "warm"
    assert StageChange.objects.filter(entry__lead=friend).count() == 1
    assert Event.objects.filter(type="lead.created", subject_ids=[friend.pk]).exists()


def test_a_payer_not_yet_in_the_pipeline_becomes_a_customer(workspace, actor):
    payer = LeadFactory(workspace=workspace)
    PipelineEntry.objects.filter(lead=payer).delete()
    rule_customer_paid(lead=payer, actor=actor, amount_minor=100)
    assert _stage_kind(payer) == "customer"
    changed = Event.objects.filter(type="lead.stage_changed").latest("id")
    assert changed.payload["to_stage"]["kind"] == "customer"
    assert changed.payload["from_stage"]["kind"] == "cold"
    assert changed.payload["lead"]["id"] == payer.pk
