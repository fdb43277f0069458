"""Each source's export, as SDRs download it, imports with its preset detected."""

from __future__ import annotations

from crm.models import Activity, Company, Lead


def test_it_imports_an_apollo_people_export(run_import, workspace):
    job = run_import("apollo.csv")

    assert job.status == "done", job.error_message
    assert job.preset == "apollo"
    assert (job.created, job.failed) == (3, 1)
    jane = Lead.objects.get(workspace=workspace, email="jane.doe@acme.com")
    assert jane.linkedin_url == "https://www.linkedin.com/in/janedoe/"
    assert jane.email_status == "valid"
    assert jane.company.name == "Acme Corp"
    assert jane.company.domain == "acme.com"
    assert jane.search_text == "jane doe jane.doe@acme.com acme corp vp sales"
    assert jane.source == "Apollo"
    rahul = Lead.objects.get(workspace=workspace, email="rahul.mehta@acme.com")
    assert rahul.company_id == jane.company_id
    assert Company.objects.filter(workspace=workspace).count() == 2
    zoe = Lead.objects.get(workspace=workspace, email="zoe.mueller@globex.de")
    assert (zoe.first_name, zoe.title) == ("Zoë", "Director, Partnerships")
    assert zoe.linkedin_url == "https://www.linkedin.com/in/zoemuller/"
    imported = Activity.objects.get(lead=jane, kind="imported")
    assert imported.actor_type == "user"
    assert imported.payload["source"] == "Apollo"
    assert imported.payload["import_id"] == job.pk


def test_it_skips_the_note_lines_of_linkedin_connections(run_import, workspace):
    job = run_import("linkedin_connections.csv")

    assert job.preset == "linkedin_connections"
    assert job.header_row == 4
    assert (job.created, job.failed) == (3, 0)
    chloe = Lead.objects.get(workspace=workspace, first_name="Chloé")
    assert chloe.email is None
    assert chloe.linkedin_url == "https://www.linkedin.com/in/chlo%C3%A9-dubois/".lower() or (
        chloe.linkedin_url.startswith("https://www.linkedin.com/in/chlo")
    )
    assert Lead.objects.get(workspace=workspace, email="ben@okafor.dev").title == "Founder, CEO"


def test_it_imports_a_sales_navigator_export_with_slots(run_import, workspace):
    job = run_import("sales_navigator.csv", mapping=None)

    assert job.preset == "sales_navigator"
    assert job.created == 3
    priya = Lead.objects.get(workspace=workspace, email="priya@hooli.com")
    assert (priya.city, priya.region, priya.country) == ("Bengaluru", "Karnataka", "India")
    assert priya.company.domain == "hooli.com"
    assert priya.slots == {"slot2": "Loved your post on pipeline hygiene"}
    sara = Lead.objects.get(
        workspace=workspace, linkedin_url="https://www.linkedin.com/in/saralind/"
    )
    assert sara.company_id == priya.company_id
    assert Lead.objects.get(email="marco@piedpiper.com").email_status == "catch_all"


def test_it_imports_a_hubspot_contacts_export(run_import, workspace):
    job = run_import("hubspot.csv")

    assert job.preset == "hubspot"
    assert job.created == 2
    alan = Lead.objects.get(workspace=workspace, email="alan@bletchley.uk")
    assert (alan.address, alan.postal_code) == ("The Mansion, Sherwood Dr", "MK3 6EB")
    assert alan.company.domain == "bletchley.uk"
