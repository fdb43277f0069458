"""GET /leads: filters, every sort walked page by page, and a query count that stays flat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Lead
from crm.services.workspaces import membership_add
from tests.factories import CompanyFactory, LeadFactory, LeadListFactory, TagFactory

from .calls import get

SORTS = ["-created_at", "created_at", "-updated_at", "updated_at", "last_name", "-last_name"]


def _ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def crowd(workspace):
    """23 leads with deliberate ties in every sort key, so the id tie-break is exercised."""
    leads = [LeadFactory(workspace=workspace, last_name=f"Name{i % 4}") for i in range(23)]
    base = timezone.now() - dt.timedelta(days=30)
    for i, lead in enumerate(leads):
        same = base + dt.timedelta(hours=i // 3)
        Lead.objects.filter(pk=lead.pk).update(created_at=same, updated_at=same)
    return Lead.objects.filter(workspace=workspace)


def _expected(leads, sort: str) -> list[int]:  # type: ignore[no-untyped-def]
    key = sort.lstrip("-")
    rows = sorted(leads, key=lambda lead: (getattr(lead, key), lead.pk))
    return [lead.pk for lead in (reversed(rows) if sort.startswith("-") else rows)]


@pytest.mark.parametrize("sort", SORTS)
def test_walking_the_pages_sees_every_lead_once_in_order(api, crowd, foreign_lead, sort):
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"sort": sort, "limit": 5, **({"cursor": cursor} if cursor else {})}
        response = get(api, "/leads", params)
        seen += _ids(response)
        cursor = response.json()["next_cursor"]
        pages += 1
        if cursor is None:
            break
    assert pages == 5
    assert seen == _expected(list(crowd), sort)


def test_the_last_full_page_has_no_next_cursor(api, workspace):
    for _ in range(4):
        LeadFactory(workspace=workspace)
    response = get(api, "/leads", {"limit": 4})
    assert len(_ids(response)) == 4
    assert response.json()["next_cursor"] is None


def test_it_lists_only_the_workspaces_leads(api, lead, foreign_lead):
    assert _ids(get(api, "/leads")) == [lead.pk]


def test_an_empty_workspace_has_an_empty_page(api, workspace):
    assert get(api, "/leads").json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "email"}, "sort"),
        ({"cursor": "@@not-a-cursor"}, "cursor"),
        ({"cursor": "WzEsMl0"}, "cursor"),  # [1, 2]: a number where a date belongs
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"tag_id": "hot"}, "tag_id"),
        ({"owner_id": 2**64}, "owner_id"),
    ],
)
def test_bad_parameters_are_named(api, lead, params, field):
    response = get(api, "/leads", params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_the_page_size_limit_follows_the_setting(api, lead, settings):
    settings.API_PAGE_SIZE_MAX = 10
    assert get(api, "/leads", {"limit": 11}).status_code == 422
    assert get(api, "/leads", {"limit": 10}).status_code == 200


def test_it_searches_names_emails_and_titles(api, workspace):
    jane = LeadFactory(workspace=workspace, first_name="Jane", last_name="Roe", title="CTO")
    LeadFactory(workspace=workspace, first_name="John", last_name="Doe", title="CTO")
    assert _ids(get(api, "/leads", {"q": "JANE"})) == [jane.pk]
    assert _ids(get(api, "/leads", {"q": "jane cto"})) == [jane.pk]
    assert len(_ids(get(api, "/leads", {"q": "cto"}))) == 2
    assert _ids(get(api, "/leads", {"q": "100%_"})) == []


def test_it_filters_by_list(api, workspace, lead):
    on_list = LeadFactory(workspace=workspace)
    lead_list = LeadListFactory(workspace=workspace)
    on_list.lists.add(lead_list)
    assert _ids(get(api, "/leads", {"list_id": lead_list.pk})) == [on_list.pk]


def test_it_filters_by_tag(api, workspace, lead):
    tagged = LeadFactory(workspace=workspace)
    tag = TagFactory(workspace=workspace)
    tagged.tags.add(tag)
    assert _ids(get(api, "/leads", {"tag_id": tag.pk})) == [tagged.pk]


def test_it_filters_by_owner(api, workspace, member, lead):
    owned = LeadFactory(workspace=workspace, owner=member)
    assert _ids(get(api, "/leads", {"owner_id": member.pk})) == [owned.pk]


def test_it_filters_by_company(api, workspace, lead):
    company = CompanyFactory(workspace=workspace)
    staff = LeadFactory(workspace=workspace, company=company)
    assert _ids(get(api, "/leads", {"company_id": company.pk})) == [staff.pk]


def test_it_filters_by_country_in_any_case(api, workspace, lead):
    german = LeadFactory(workspace=workspace, country="Germany")
    assert _ids(get(api, "/leads", {"country": "germany"})) == [german.pk]


def test_it_filters_by_creation_range(api, workspace):
    old, mid, new = (LeadFactory(workspace=workspace) for _ in range(3))
    for lead, day in ((old, 1), (mid, 10), (new, 20)):
        Lead.objects.filter(pk=lead.pk).update(created_at=dt.datetime(2025, 3, day, tzinfo=dt.UTC))
    window = {"created_after": "2025-03-05", "created_before": "2025-03-15T00:00:00Z"}
    assert _ids(get(api, "/leads", window)) == [mid.pk]
    assert _ids(get(api, "/leads", {"created_after": "2025-03-10T00:00:00Z"})) == [new.pk, mid.pk]
    assert _ids(get(api, "/leads", {"created_before": "2025-03-10"})) == [old.pk]


def test_filters_combine(api, workspace, member):
    tag = TagFactory(workspace=workspace)
    match = LeadFactory(workspace=workspace, owner=member, country="Spain")
    match.tags.add(tag)
    LeadFactory(workspace=workspace, owner=member, country="Spain")
    LeadFactory(workspace=workspace, country="Spain").tags.add(tag)
    params = {"tag_id": tag.pk, "owner_id": member.pk, "country": "spain"}
    assert _ids(get(api, "/leads", params)) == [match.pk]


def test_filters_hold_across_pages(api, workspace):
    spaniards = {LeadFactory(workspace=workspace, country="Spain").pk for _ in range(7)}
    for _ in range(5):
        LeadFactory(workspace=workspace)
    first = get(api, "/leads", {"country": "Spain", "limit": 4, "sort": "last_name"})
    second = get(
        api,
        "/leads",
        {
            "country": "Spain",
            "limit": 4,
            "sort": "last_name",
            "cursor": first.json()["next_cursor"],
        },
    )
    assert set(_ids(first)) | set(_ids(second)) == spaniards
    assert second.json()["next_cursor"] is None


def _queries_for(api, limit: int) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = get(api, "/leads", {"limit": limit})
    assert len(response.json()["items"]) == limit
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_page(
    api, workspace, member, django_assert_max_num_queries
):
    tags = [TagFactory(workspace=workspace) for _ in range(3)]
    lists = [LeadListFactory(workspace=workspace) for _ in range(2)]
    for _ in range(40):
        lead = LeadFactory(
            workspace=workspace, owner=member, company=CompanyFactory(workspace=workspace)
        )
        lead.tags.add(*tags)
        lead.lists.add(*lists)
    membership_add(workspace=workspace, user=member)
    get(api, "/me")  # the key's last-used time is written at most once a minute
    assert _queries_for(api, 2) == _queries_for(api, 40)
    with django_assert_max_num_queries(6):
        get(api, "/leads", {"limit": 40, "q": "sales", "tag_id": tags[0].pk})


def test_it_counts_matching_leads(api, workspace, foreign_lead):
    for _ in range(3):
        LeadFactory(workspace=workspace, country="Spain")
    LeadFactory(workspace=workspace)
    response = get(api, "/leads/count", {"country": "Spain"})
    assert response.json() == {"count": 3, "more": False}
