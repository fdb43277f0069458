"""Dedupe within the file and against the workspace, under each duplicate policy."""

from __future__ import annotations

import pytest

from crm.models import Activity, Lead
from tests.factories import LeadFactory

FILE = (
    b"Email,LinkedIn,First Name,Title,Company,Icebreaker\n"
    b"jane@acme.com,linkedin.com/in/jane,Jane,VP Sales,Acme,Saw your talk\n"
    b" JANE@ACME.COM ,,Janet,CEO,,\n"
    b",https://www.linkedin.com/in/Jane/,J,CTO,,\n"
    b"new@acme.com,,Nina,AE,Acme,\n"
)


@pytest.fixture
def existing(workspace):
    return LeadFactory(
        workspace=workspace,
        email="jane@acme.com",
        first_name="",
        title="Founder",
        linkedin_url=None,
    )


def test_it_counts_in_file_repeats_as_duplicates(run_import, workspace):
    job = run_import(FILE)

    assert (job.created, job.duplicates) == (2, 2)
    jane = Lead.objects.get(workspace=workspace, email="jane@acme.com")
    assert (jane.first_name, jane.title) == ("Jane", "VP Sales")  # the first row wins


def test_skip_leaves_existing_leads_untouched(run_import, workspace, existing):
    job = run_import(FILE, on_duplicate="skip")

    assert (job.created, job.updated, job.duplicates) == (1, 0, 3)
    existing.refresh_from_db()
    assert (existing.first_name, existing.title, existing.linkedin_url) == ("", "Founder", None)


def test_fill_writes_only_empty_fields(run_import, workspace, existing):
    job = run_import(FILE, on_duplicate="fill")

    assert (job.created, job.updated, job.duplicates) == (1, 1, 2)
    existing.refresh_from_db()
    assert existing.first_name == "Jane"
    assert existing.title == "Founder"
    assert existing.linkedin_url == "https://www.linkedin.com/in/jane/"
    assert existing.company.name == "Acme"
    assert existing.slots == {"slot2": "Saw your talk"}
    assert "jane" in existing.search_text and "acme" in existing.search_text
    update = Activity.objects.get(lead=existing, kind="updated")
    assert "first_name" in update.payload["fields"]


def test_overwrite_writes_every_non_empty_cell(run_import, workspace, existing):
    job = run_import(FILE, on_duplicate="overwrite")

    assert job.updated == 1
    existing.refresh_from_db()
    assert (existing.first_name, existing.title) == ("Jane", "VP Sales")


def test_re_running_the_same_file_creates_nothing(run_import, workspace):
    first = run_import(FILE)
    again = run_import(FILE)

    assert first.created == 2
    assert (again.created, again.duplicates) == (0, 4)
    assert Lead.objects.filter(workspace=workspace).count() == 2


def test_companies_are_deduped_by_domain_then_name(run_import, workspace):
    data = (
        b"Email,Company,Website\n"
        b"a@gmail.com,Globex,\n"
        b"b@globex.com,GLOBEX,\n"
        b"c@other.com,Globex Corp,https://www.globex.com/about\n"
    )
    job = run_import(data)

    assert job.created == 3
    companies = {lead.company_id for lead in Lead.objects.filter(workspace=workspace)}
    assert len(companies) == 1
    company = Lead.objects.get(email="a@gmail.com").company
    assert (company.name, company.domain) == ("Globex", "globex.com")


def test_a_lead_found_again_through_another_identity_is_a_duplicate(run_import, workspace):
    # One person, two rows: the first finds her by email, the second by LinkedIn URL.
    LeadFactory(
        workspace=workspace,
        email="ana@acme.com",
        linkedin_url="https://www.linkedin.com/in/ana-2/",
        first_name="",
    )
    job = run_import(
        b"Email,LinkedIn,First Name\n"
        b"ana@acme.com,,Ana\n"
        b"ana.other@acme.com,linkedin.com/in/ana-2,Anna\n",
        on_duplicate="overwrite",
    )

    assert (job.created, job.updated, job.duplicates) == (0, 1, 1)
    assert Lead.objects.get(workspace=workspace, email="ana@acme.com").first_name == "Ana"
