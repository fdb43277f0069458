"""The lead page: details, edit with inline errors, notes through HTMX, tasks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.models import Activity, Task
from crm.services.custom_fields import custom_field_define
from tests.factories import LeadFactory


@pytest.fixture
def page(lead):
    return reverse("crm:lead", kwargs={"ws": "acme", "lead_id": lead.pk})


def test_it_shows_the_lead_with_company_referrals_and_custom_fields(web, workspace, lead, page):
    custom_field_define(workspace=workspace, key="arr", label="ARR", field_type="number")
    lead.custom_fields = {"arr": 120000}
    lead.save()
    referral = LeadFactory(
        workspace=workspace, first_name="Rita", last_name="Ref", referred_by=lead
    )
    html = web.get(page).content.decode()
    assert lead.email in html
    assert "ARR" in html and "120000" in html
    assert "Rita Ref" in html
    referral_page = web.get(reverse("crm:lead", kwargs={"ws": "acme", "lead_id": referral.pk}))
    assert lead.full_name in referral_page.content.decode()


def test_a_note_through_htmx_returns_the_new_timeline_entry(web, lead, page):
    url = reverse("crm:lead_note_add", kwargs={"ws": "acme", "lead_id": lead.pk})
    response = web.post(url, {"body": "Loves <b>golf</b>"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="timeline-item is-note"' in html
    assert "Loves &lt;b&gt;golf&lt;/b&gt;" in html  # escaped, never markup
    assert 'hx-swap-oob="true"' in html  # a fresh, empty composer replaces the old one
    assert Activity.objects.filter(lead=lead, kind="note", body="Loves <b>golf</b>").exists()
    assert "Loves &lt;b&gt;golf" in web.get(page).content.decode()


def test_an_empty_note_shows_the_error_in_the_form(web, lead):
    url = reverse("crm:lead_note_add", kwargs={"ws": "acme", "lead_id": lead.pk})
    response = web.post(url, {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#note-form"
    assert "A note cannot be empty." in response.content.decode()
    assert not Activity.objects.filter(lead=lead, kind="note").exists()


def test_a_note_without_htmx_redirects_back_to_the_lead(web, lead, page):
    url = reverse("crm:lead_note_add", kwargs={"ws": "acme", "lead_id": lead.pk})
    response = web.post(url, {"body": "Called, left a voicemail", "catch_up": "on"})
    assert response["Location"] == page
    note = Activity.objects.get(lead=lead, kind="note")
    assert note.payload["catch_up"] is True


def test_editing_saves_through_the_service_and_records_it(web, lead, page):
    url = reverse("crm:lead_edit", kwargs={"ws": "acme", "lead_id": lead.pk})
    assert web.get(url).status_code == 200
    response = web.post(
        url,
        {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "JANE@Northwind.io ",
            "email_status": "valid",
            "company_name": "Northwind",
            "country": "France",
        },
    )
    assert response["Location"] == page
    lead.refresh_from_db()
    assert lead.email == "jane@northwind.io"
    assert lead.company.name == "Northwind"
    assert Activity.objects.filter(lead=lead, kind="updated").exists()


def test_editing_shows_field_errors_inline(web, lead):
    url = reverse("crm:lead_edit", kwargs={"ws": "acme", "lead_id": lead.pk})
    response = web.post(
        url, {"email": "not an email", "timezone": "Mars/Olympus", "email_status": "unknown"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="field has-error"') >= 2
    assert "Mars/Olympus" in html and "IANA" in html
    lead.refresh_from_db()
    assert lead.timezone == ""


def test_editing_to_another_leads_email_is_refused(web, workspace, lead):
    other = LeadFactory(workspace=workspace)
    url = reverse("crm:lead_edit", kwargs={"ws": "acme", "lead_id": lead.pk})
    response = web.post(url, {"email": other.email, "email_status": "unknown"})
    assert "already has this email" in response.content.decode()


def test_adding_and_completing_a_task_on_the_lead(web, lead, page):
    url = reverse("crm:lead_task_add", kwargs={"ws": "acme", "lead_id": lead.pk})
    response = web.post(
        url, {"title": "Send the deck", "kind": "follow_up", "due_on": "2030-01-02"}
    )
    assert response["Location"] == page
    task = Task.objects.get(lead=lead)
    assert "Send the deck" in web.get(page).content.decode()
    done = reverse("crm:task_done", kwargs={"ws": "acme", "task_id": task.pk})
    response = web.post(done, HTTP_HX_REQUEST="true")
    assert "is-done" in response.content.decode()
    task.refresh_from_db()
    assert task.done_at is not None
    undo = reverse("crm:task_undo", kwargs={"ws": "acme", "task_id": task.pk})
    web.post(undo, {"next": page})
    task.refresh_from_db()
    assert task.done_at is None


def test_a_task_without_a_title_is_refused_on_the_page(web, lead):
    url = reverse("crm:lead_task_add", kwargs={"ws": "acme", "lead_id": lead.pk})
    response = web.post(url, {"title": "", "kind": "todo"})
    assert response.status_code == 200
    assert "A task needs a title." in response.content.decode()


def test_creating_a_lead_opens_its_page(web, workspace):
    response = web.post(
        reverse("crm:lead_new", kwargs={"ws": "acme"}),
        {
            "first_name": "Nia",
            "email": "nia@lumen.io",
            "email_status": "unknown",
            "company_name": "Lumen",
        },
    )
    assert response.status_code == 302
    lead = workspace.leads.get(email="nia@lumen.io")
    assert lead.company.name == "Lumen"
    assert response["Location"] == reverse("crm:lead", kwargs={"ws": "acme", "lead_id": lead.pk})


def test_creating_a_duplicate_lead_links_to_the_existing_one(web, lead):
    response = web.post(
        reverse("crm:lead_new", kwargs={"ws": "acme"}),
        {"email": lead.email.upper(), "email_status": "unknown"},
    )
    html = response.content.decode()
    assert "already exists" in html
    assert reverse("crm:lead", kwargs={"ws": "acme", "lead_id": lead.pk}) in html


def test_creating_a_lead_without_email_or_linkedin_says_so(web, workspace):
    response = web.post(
        reverse("crm:lead_new", kwargs={"ws": "acme"}),
        {"first_name": "X", "email_status": "unknown"},
    )
    assert "Give an email or a LinkedIn URL." in response.content.decode()


def test_other_apps_panels_load_into_the_lead_page_when_they_exist(web, lead, page, monkeypatch):
    monkeypatch.setattr("crm.web.panels.LEAD_PANELS", ("crm:lead", "nowhere:panel"))
    html = web.get(page).content.decode()
    assert f'hx-get="{page}" hx-trigger="load"' in html  # the reversible one
    assert "nowhere" not in html  # an app that has not landed is skipped
