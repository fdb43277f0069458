"""The leads table's Stage column and Stage filter, added by pipelines through crm's registries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pipelines.models import PipelineEntry, Stage
from pipelines.services import entries_place_new_leads
from tests.factories import LeadFactory

LEADS = "/w/acme/leads/"


def place(workspace, actor, leads, stage=None):
    entries_place_new_leads(workspace=workspace, lead_ids=[x.pk for x in leads], actor=actor)
    if stage is not None:
        PipelineEntry.objects.filter(lead__in=leads).update(stage=stage)


def test_the_table_shows_each_leads_stage(web, workspace, actor, pipeline, stages):
    warm = LeadFactory(workspace=workspace, first_name="Wanda", last_name="Warm")
    cold = LeadFactory(workspace=workspace, first_name="Carl", last_name="Cold")
    unplaced = LeadFactory(workspace=workspace, first_name="Nora", last_name="Nowhere")
    place(workspace, actor, [cold])
    place(workspace, actor, [warm], stages["Warm"])
    PipelineEntry.objects.filter(lead=unplaced).delete()

    html = web.get(LEADS).content.decode()
    assert 'data-column="stage">Stage</th>' in html
    assert 'data-stage-kind="warm">Warm</span>' in html
    assert 'data-stage-kind="cold">Cold</span>' in html


def test_the_stage_column_costs_the_same_queries_for_3_or_30_leads(
    web, workspace, actor, pipeline, stages
):
    place(workspace, actor, LeadFactory.create_batch(3, workspace=workspace))
    web.get(LEADS)
    with CaptureQueriesContext(connection) as few:
        web.get(LEADS)
    place(workspace, actor, LeadFactory.create_batch(27, workspace=workspace), stages["Engaged"])
    with CaptureQueriesContext(connection) as many:
        html = web.get(LEADS).content.decode()
    assert html.count('data-stage-kind="engaged"') == 27
    assert len(many) == len(few)


def test_the_stage_filter_narrows_the_table_to_one_stage(web, workspace, actor, pipeline, stages):
    warm = LeadFactory(workspace=workspace, first_name="Wanda", last_name="Warm")
    cold = LeadFactory(workspace=workspace, first_name="Carl", last_name="Cold")
    place(workspace, actor, [cold])
    place(workspace, actor, [warm], stages["Warm"])

    page = web.get(LEADS).content.decode()
    assert 'name="stage"' in page
    assert f'<option value="{stages["Warm"].pk}">Warm</option>' in page
    html = web.get(LEADS, {"stage": stages["Warm"].pk}).content.decode()
    assert "Wanda Warm" in html and "Carl Cold" not in html


def test_another_workspaces_stage_is_not_a_choice(web, workspace, actor, pipeline, other_workspace):
    foreign_stage = Stage.objects.filter(pipeline__workspace=other_workspace).first()
    place(workspace, actor, [LeadFactory(workspace=workspace, first_name="Mine")])
    html = web.get(LEADS, {"stage": foreign_stage.pk}).content.decode()
    # Dropped like any value that makes no sense here: the table is unfiltered.
    assert f'<option value="{foreign_stage.pk}"' not in html
    assert "Mine" in html and "No leads match" not in html


def test_the_export_applies_the_stage_filter_too(web, workspace, actor, pipeline, stages):
    warm = LeadFactory(workspace=workspace, email="warm@lead.test")
    cold = LeadFactory(workspace=workspace, email="cold@lead.test")
    place(workspace, actor, [cold])
    place(workspace, actor, [warm], stages["Warm"])
    form = web.get("/w/acme/exports/leads/", {"stage": stages["Warm"].pk}).content.decode()
    # The export page opened from the table carries the filter on to its download.
    assert f'name="stage" value="{stages["Warm"].pk}"' in form
    response = web.get("/w/acme/exports/leads/", {"download": "1", "stage": stages["Warm"].pk})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "warm@lead.test" in body and "cold@lead.test" not in body
