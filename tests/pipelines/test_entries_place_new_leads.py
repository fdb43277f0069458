from pipelines.models import PipelineEntry, StageChange
from pipelines.services import entries_place_new_leads
from tests.factories import LeadFactory


def test_it_places_new_leads_at_cold_with_history(workspace, pipeline, stages, actor):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    placed = entries_place_new_leads(
        workspace=workspace, lead_ids=[lead.pk for lead in leads], actor=actor
    )
    assert placed == 3
    assert set(PipelineEntry.objects.values_list("stage__name", flat=True)) == {"Cold"}
    assert StageChange.objects.filter(from_stage=None, to_stage=stages["Cold"]).count() == 3


def test_it_skips_leads_already_placed_and_foreign_leads(workspace, pipeline, actor, foreign_lead):
    lead = LeadFactory(workspace=workspace)
    entries_place_new_leads(workspace=workspace, lead_ids=[lead.pk], actor=actor)
    again = entries_place_new_leads(
        workspace=workspace, lead_ids=[lead.pk, lead.pk, foreign_lead.pk], actor=actor
    )
    assert again == 0
    assert PipelineEntry.objects.count() == 1
    assert StageChange.objects.count() == 1


def test_it_places_at_a_given_stage(workspace, stages, actor):
    lead = LeadFactory(workspace=workspace)
    entries_place_new_leads(
        workspace=workspace, lead_ids=[lead.pk], stage=stages["Warm"], actor=actor
    )
    assert PipelineEntry.objects.get(lead=lead).stage == stages["Warm"]


def test_it_places_in_batches_with_a_fixed_number_of_queries(
    workspace, pipeline, actor, django_assert_max_num_queries, settings
):
    leads = LeadFactory.create_batch(40, workspace=workspace)
    ids = [lead.pk for lead in leads]
    with django_assert_max_num_queries(12):
        assert entries_place_new_leads(workspace=workspace, lead_ids=ids, actor=actor) == 40


def test_it_creates_the_default_pipeline_for_an_older_workspace(workspace, actor):
    lead = LeadFactory(workspace=workspace)
    assert entries_place_new_leads(workspace=workspace, lead_ids=[lead.pk], actor=actor) == 1
    assert PipelineEntry.objects.get(lead=lead).pipeline.is_default
