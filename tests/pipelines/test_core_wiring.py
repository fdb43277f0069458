"""The foundation's write paths reach the pipeline: new workspaces, new leads, catch-up notes."""

from __future__ import annotations

from crm.models import Activity
from crm.services.activities import note_add
from crm.services.leads import lead_create
from crm.services.workspaces import workspace_create
from pipelines.models import Pipeline, PipelineEntry, StageChange
from pipelines.services import referrals_record, rule_customer_paid
from tests.pipelines.conftest import stage_of


def test_a_new_workspace_starts_with_the_default_pipeline(owner):
    workspace = workspace_create(name="Globex", slug="globex", owner=owner)
    pipeline = Pipeline.objects.get(workspace=workspace, is_default=True)
    assert [s.name for s in pipeline.stages.order_by("position")][:4] == [
        "Cold",
        "Engaged",
        "Warm",
        "Customer",
    ]


def test_a_created_lead_starts_cold_with_its_history(workspace, pipeline, actor):
    lead, created = lead_create(workspace=workspace, actor=actor, data={"email": "ada@lovelace.io"})
    assert created
    assert stage_of(lead, pipeline).name == "Cold"
    change = StageChange.objects.get(entry__lead=lead)
    assert change.from_stage_id is None and change.to_stage.name == "Cold"


def test_returning_an_existing_lead_does_not_place_it_twice(workspace, pipeline, actor):
    data = {"email": "ada@lovelace.io"}
    lead, _ = lead_create(workspace=workspace, actor=actor, data=data)
    again, created = lead_create(workspace=workspace, actor=actor, data=data, on_conflict="return")
    assert (again.pk, created) == (lead.pk, False)
    assert PipelineEntry.objects.filter(lead=lead).count() == 1


def test_a_catch_up_note_moves_a_customer_to_the_next_catch_up(workspace, pipeline, actor):
    lead, _ = lead_create(workspace=workspace, actor=actor, data={"email": "cto@acme.io"})
    rule_customer_paid(lead=lead, actor=actor)
    assert stage_of(lead, pipeline).name == "Customer"

    note_add(lead=lead, body="Quarterly call, all good", actor=actor, catch_up=True)
    assert stage_of(lead, pipeline).name == "Catch-up 1"
    note_add(lead=lead, body="Just a remark", actor=actor)
    assert stage_of(lead, pipeline).name == "Catch-up 1"


def test_a_catch_up_note_on_a_cold_lead_only_lands_on_the_timeline(workspace, pipeline, actor):
    lead, _ = lead_create(workspace=workspace, actor=actor, data={"email": "new@acme.io"})
    note_add(lead=lead, body="Met at a fair", actor=actor, catch_up=True)
    assert stage_of(lead, pipeline).name == "Cold"
    assert Activity.objects.filter(lead=lead, kind="note").count() == 1


def test_referred_people_enter_warm_without_a_cold_detour(workspace, pipeline, actor):
    customer, _ = lead_create(workspace=workspace, actor=actor, data={"email": "boss@acme.io"})
    rule_customer_paid(lead=customer, actor=actor)
    referrals_record(
        customer=customer,
        people=[{"first_name": "Grace", "email": "grace@hopper.io"}],
        actor=actor,
    )
    referred = PipelineEntry.objects.get(lead__email="grace@hopper.io", pipeline=pipeline)
    assert referred.stage.name == "Warm"
    assert list(
        StageChange.objects.filter(entry=referred).values_list("to_stage__name", flat=True)
    ) == ["Warm"]


def test_the_demo_workspace_has_leads_at_every_step_of_selling(db):
    from django.core.management import call_command

    call_command("load_demo", "--leads", "40")
    entries = PipelineEntry.objects.filter(workspace__slug="demo")
    kinds = set(entries.values_list("stage__kind", flat=True))
    assert {"cold", "engaged", "warm", "customer", "catch_up"} <= kinds
    assert entries.filter(lead__referred_by__isnull=False, stage__kind="warm").count() == 2
    assert entries.exclude(value_minor=0).exists()
