"""Companies, lists, tasks and settings pages."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from crm.models import ApiKey, Company, LeadList
from crm.services.api_keys import api_key_authenticate, api_key_create
from tests.factories import CompanyFactory, LeadFactory, TaskFactory


def test_companies_are_searchable_and_show_their_people(web, workspace):
    company = CompanyFactory(workspace=workspace, name="Northwind", domain="northwind.io")
    CompanyFactory(workspace=workspace, name="Globex Corp")
    LeadFactory(workspace=workspace, company=company, first_name="Ada", last_name="Byron")
    html = web.get(reverse("crm:companies", kwargs={"ws": "acme"}), {"q": "north"}).content.decode()
    assert "Northwind" in html and "Globex Corp" not in html
    page = web.get(reverse("crm:company", kwargs={"ws": "acme", "company_id": company.pk}))
    assert "Ada Byron" in page.content.decode()


def test_a_company_website_never_becomes_a_javascript_link(web, workspace):
    company = CompanyFactory(workspace=workspace, website="javascript://%0aalert(1)")
    html = web.get(reverse("crm:company", kwargs={"ws": "acme", "company_id": company.pk}))
    assert 'href="javascript' not in html.content.decode()


def test_creating_a_company_and_its_duplicate_domain(web, workspace):
    url = reverse("crm:company_new", kwargs={"ws": "acme"})
    response = web.post(url, {"name": "Lumen", "website": "https://www.lumen.io/about"})
    company = Company.objects.get(workspace=workspace, name="Lumen")
    assert response["Location"] == reverse(
        "crm:company", kwargs={"ws": "acme", "company_id": company.pk}
    )
    again = web.post(url, {"name": "Lumen 2", "website": "lumen.io"})
    assert "already exists" in again.content.decode()
    assert "A company needs a name." in web.post(url, {"name": ""}).content.decode()


def test_lists_index_shows_counts_and_limits(web, workspace):
    LeadList.objects.create(workspace=workspace, name="Dream 100", kind="dream_100", size_limit=100)
    html = web.get(reverse("crm:lists", kwargs={"ws": "acme"})).content.decode()
    assert "Dream 100" in html and "of 100" in html and 'class="progress' in html


def test_creating_a_list_takes_the_kinds_usual_limit(web, workspace):
    url = reverse("crm:list_new", kwargs={"ws": "acme"})
    response = web.post(url, {"name": "Target accounts Q1", "kind": "target_accounts"})
    lead_list = LeadList.objects.get(workspace=workspace)
    assert lead_list.size_limit == 40
    assert response["Location"] == reverse(
        "crm:list", kwargs={"ws": "acme", "list_id": lead_list.pk}
    )


def test_creating_a_list_shows_errors_inline(web, workspace):
    url = reverse("crm:list_new", kwargs={"ws": "acme"})
    html = web.post(url, {"name": "", "kind": "other", "size_limit": "0"}).content.decode()
    assert "A list needs a name." in html
    LeadList.objects.create(workspace=workspace, name="Q4")
    assert "already exists" in web.post(url, {"name": "q4", "kind": "other"}).content.decode()


def test_the_tasks_page_splits_mine_and_everyones_by_due_date(web, workspace, owner, member):
    now = timezone.now()
    TaskFactory(
        workspace=workspace, assignee=owner, title="Mine overdue", due_at=now - dt.timedelta(days=3)
    )
    TaskFactory(workspace=workspace, assignee=member, title="Marks call today", due_at=now)
    TaskFactory(
        workspace=workspace, assignee=owner, title="Mine later", due_at=now + dt.timedelta(days=5)
    )
    url = reverse("crm:tasks", kwargs={"ws": "acme"})
    today = web.get(url).content.decode()
    assert "Mine overdue" in today and "Marks call today" not in today and "Mine later" not in today
    everyone = web.get(url, {"whose": "all"}).content.decode()
    assert "Marks call today" in everyone
    assert "Mine later" in web.get(url, {"view": "upcoming"}).content.decode()
    assert "Mine later" not in web.get(url, {"view": "overdue"}).content.decode()


def test_adding_a_task_from_the_tasks_page(web, workspace, owner):
    url = reverse("crm:tasks", kwargs={"ws": "acme"})
    response = web.post(url, {"title": "Prepare QBR", "kind": "todo", "due_on": "2030-05-01"})
    assert response.status_code == 302
    assert workspace.tasks.get().assignee == owner


def test_an_api_key_token_is_shown_once(web, workspace, owner):
    create = reverse("crm:api_key_new", kwargs={"ws": "acme"})
    response = web.post(create, {"name": "Zapier"}, follow=True)
    html = response.content.decode()
    token = html.split('id="new-token"><span style="flex:1">')[1].split("<")[0]
    assert api_key_authenticate(token).name == "Zapier"
    again = web.get(reverse("crm:settings", kwargs={"ws": "acme"})).content.decode()
    assert token not in again and "Zapier" in again


def test_an_api_key_needs_a_name(web, workspace):
    html = web.post(
        reverse("crm:api_key_new", kwargs={"ws": "acme"}), {"name": ""}
    ).content.decode()
    assert "Give the key a name" in html


def test_revoking_an_api_key(web, workspace, owner):
    key, token = api_key_create(workspace=workspace, user=owner, name="old")
    web.post(reverse("crm:api_key_revoke", kwargs={"ws": "acme", "key_id": key.pk}))
    assert api_key_authenticate(token) is None


def test_nobody_can_revoke_someone_elses_key(client, workspace, owner, member):
    key, _ = api_key_create(workspace=workspace, user=owner, name="owner's")
    client.force_login(member)
    response = client.post(reverse("crm:api_key_revoke", kwargs={"ws": "acme", "key_id": key.pk}))
    assert response.status_code == 404
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


def test_settings_lists_members_read_only(web, workspace, member):
    html = web.get(reverse("crm:settings", kwargs={"ws": "acme"})).content.decode()
    assert "mark@acme.test" in html and "Owner" in html and "Member" in html
