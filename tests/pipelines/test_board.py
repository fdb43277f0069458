from crm.services.lists import list_add_leads
from crm.services.tags import leads_tag, tag_get_or_create
from pipelines.models import PipelineEntry
from pipelines.selectors.board import BoardFilters, board_columns, column_page
from pipelines.services import entries_place_new_leads, entry_update
from tests.factories import LeadFactory, LeadListFactory


def _place(workspace, actor, n, **lead_kwargs):
    leads = LeadFactory.create_batch(n, workspace=workspace, **lead_kwargs)
    entries_place_new_leads(workspace=workspace, lead_ids=[lead.pk for lead in leads], actor=actor)
    return leads


def test_columns_count_and_sum_total_and_weighted_value(workspace, pipeline, stages, actor):
    leads = _place(workspace, actor, 3)
    for lead, value in zip(leads, (100_00, 200_00, 300_00), strict=True):
        entry_update(entry=PipelineEntry.objects.get(lead=lead), data={"value_minor": value})
    PipelineEntry.objects.filter(lead=leads[2]).update(stage=stages["Warm"], probability=50)
    columns = {c.stage.name: c for c in board_columns(pipeline=pipeline)}
    assert columns["Cold"].count == 2
    assert columns["Cold"].totals == {"USD": (300_00, 15_00)}  # Cold weighs 5 %
    assert columns["Warm"].totals == {"USD": (300_00, 150_00)}  # the deal's own 50 %
    assert columns["Lost"].count == 0


def test_a_column_loads_in_pages_newest_first(workspace, pipeline, stages, actor):
    leads = _place(workspace, actor, 5)
    first = column_page(stage=stages["Cold"], limit=2)
    assert len(first.entries) == 2 and first.next_cursor
    second = column_page(stage=stages["Cold"], limit=2, cursor=first.next_cursor)
    third = column_page(stage=stages["Cold"], limit=2, cursor=second.next_cursor)
    seen = [e.lead_id for page in (first, second, third) for e in page.entries]
    assert sorted(seen) == sorted(lead.pk for lead in leads)
    assert third.next_cursor is None


def test_filters_narrow_cards_and_totals(workspace, pipeline, stages, actor, member):
    leads = _place(workspace, actor, 4)
    hot = LeadListFactory(workspace=workspace)
    list_add_leads(lead_list=hot, lead_ids=[leads[0].pk, leads[1].pk], actor=actor)
    tag = tag_get_or_create(workspace=workspace, name="vip", color="red")
    leads_tag(workspace=workspace, lead_ids=[leads[1].pk], tag=tag, actor=actor)
    PipelineEntry.objects.filter(lead=leads[1]).update(owner=member)
    by = lambda f: board_columns(pipeline=pipeline, filters=f)[0].count  # noqa: E731
    assert by(BoardFilters(list_id=hot.pk)) == 2
    assert by(BoardFilters(list_id=hot.pk, tag_id=tag.pk)) == 1
    assert by(BoardFilters(owner_id=member.pk)) == 1
    assert by(BoardFilters(q=leads[3].last_name.lower())) >= 1
    page = column_page(stage=stages["Cold"], filters=BoardFilters(tag_id=tag.pk))
    assert [e.lead_id for e in page.entries] == [leads[1].pk]


def test_query_counts_do_not_grow_with_cards(
    workspace, pipeline, stages, actor, django_assert_max_num_queries
):
    _place(workspace, actor, 3)
    with django_assert_max_num_queries(1):
        small = column_page(stage=stages["Cold"], limit=50)
        [e.lead.company for e in small.entries]
    _place(workspace, actor, 30)
    with django_assert_max_num_queries(1):
        big = column_page(stage=stages["Cold"], limit=50)
        [(e.lead.company, e.owner, e.stage) for e in big.entries]
    with django_assert_max_num_queries(2):
        board_columns(pipeline=pipeline, filters=BoardFilters(q="a", list_id=1, tag_id=1))
