import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from crm.errors import ValidationFailed
from crm.models import Lead
from crm.selectors.leads import LeadFilters, lead_get, leads_count, leads_page
from crm.services.lists import list_add_leads, list_create
from crm.services.tags import leads_tag, tag_get_or_create
from tests.factories import CompanyFactory, LeadFactory


def _walk(workspace, sort, limit, filters=None):
    seen, cursor = [], None
    while True:
        page = leads_page(
            workspace=workspace,
            filters=filters or LeadFilters(),
            sort=sort,
            cursor=cursor,
            limit=limit,
        )
        seen.extend(lead.pk for lead in page.leads)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize(
    "sort", ["created_at", "-created_at", "last_name", "-last_name", "updated_at", "-updated_at"]
)
def test_walking_pages_visits_every_lead_once_in_order(workspace, other_workspace, sort):
    base = timezone.now()
    for i in range(23):
        lead = LeadFactory(workspace=workspace, last_name=["Adams", "Baker", "Cole"][i % 3])
        # Ties on the sort key are common (same import second); the id breaks them.
        Lead.objects.filter(pk=lead.pk).update(created_at=base + dt.timedelta(seconds=i // 4))
    LeadFactory.create_batch(3, workspace=other_workspace)
    seen = _walk(workspace, sort, limit=5)
    key = sort.lstrip("-")
    expected = list(
        Lead.objects.filter(workspace=workspace)
        .order_by(sort, ("-" if sort.startswith("-") else "") + "id")
        .values_list("id", flat=True)
    )
    assert seen == expected and len(set(seen)) == 23, key


def test_filters_narrow_the_table(workspace, actor):
    acme = CompanyFactory(workspace=workspace)
    jane = LeadFactory(
        workspace=workspace,
        first_name="Jane",
        last_name="Rivera",
        country="Spain",
        company=acme,
        owner=actor.user,
        search_text="jane rivera jane@acme.test",
    )
    LeadFactory.create_batch(4, workspace=workspace, country="France")
    lst = list_create(workspace=workspace, data={"name": "Q4"})
    list_add_leads(lead_list=lst, lead_ids=[jane.pk], actor=actor)
    tag = tag_get_or_create(workspace=workspace, name="hot")
    leads_tag(workspace=workspace, lead_ids=[jane.pk], tag=tag, actor=actor)
    for filters in (
        LeadFilters(q="RIVERA"),
        LeadFilters(q="jane acme"),
        LeadFilters(list_id=lst.pk),
        LeadFilters(tag_id=tag.pk),
        LeadFilters(owner_id=actor.user.pk),
        LeadFilters(company_id=acme.pk),
        LeadFilters(country="spain"),
    ):
        page = leads_page(workspace=workspace, filters=filters)
        assert [lead.pk for lead in page.leads] == [jane.pk], filters


def test_created_range(workspace):
    old = LeadFactory(workspace=workspace)
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    new = LeadFactory(workspace=workspace)
    recent = LeadFilters(created_after=timezone.now() - dt.timedelta(days=1))
    assert [x.pk for x in leads_page(workspace=workspace, filters=recent).leads] == [new.pk]
    older = LeadFilters(created_before=timezone.now() - dt.timedelta(days=1))
    assert [x.pk for x in leads_page(workspace=workspace, filters=older).leads] == [old.pk]


def test_counts_are_capped(workspace):
    LeadFactory.create_batch(6, workspace=workspace)
    assert leads_count(workspace=workspace, filters=LeadFilters(), cap=5) == (5, True)
    assert leads_count(workspace=workspace, filters=LeadFilters(), cap=10) == (6, False)


def test_bad_sort_or_cursor_is_a_validation_error(workspace):
    with pytest.raises(ValidationFailed):
        leads_page(workspace=workspace, filters=LeadFilters(), sort="password")
    with pytest.raises(ValidationFailed):
        leads_page(workspace=workspace, filters=LeadFilters(), cursor="garbage!")


def test_another_workspaces_lead_is_not_found(workspace, foreign_lead):
    with pytest.raises(Http404):
        lead_get(workspace=workspace, lead_id=foreign_lead.pk)


def test_a_page_costs_a_constant_number_of_queries(workspace, django_assert_num_queries):
    LeadFactory.create_batch(30, workspace=workspace, company=CompanyFactory(workspace=workspace))
    with django_assert_num_queries(1):
        page = leads_page(workspace=workspace, filters=LeadFilters(), limit=25)
        [lead.company.name for lead in page.leads]
