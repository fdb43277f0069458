"""A company website is an http(s) address: other schemes (javascript:, data:) are refused on
every write path, and an import keeps the row without the bad website."""

from __future__ import annotations

import pytest

from crm.models import Company
from tests.crm.api.calls import patch, post

BAD = ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "java\tscript:alert(1)",
       "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]  # fmt: skip


@pytest.mark.parametrize("website", BAD)
def test_a_website_that_is_not_http_is_refused(api, website):
    response = post(api, "/companies", {"name": "Acme", "website": website})

    assert response.status_code == 422
    assert "website" in response.json()["errors"]
    assert not Company.objects.exists()


def test_a_website_cannot_be_changed_to_javascript(api):
    created = post(api, "/companies", {"name": "Acme", "website": "https://acme.test"}).json()

    response = patch(api, f"/companies/{created['id']}", {"website": "javascript:alert(1)"})

    assert response.status_code == 422
    assert Company.objects.get().website == "https://acme.test"


@pytest.mark.parametrize(
    "website", ["acme.test", "https://www.acme.test/about", "HTTP://acme.test"]
)
def test_web_addresses_with_or_without_a_scheme_are_kept(api, website):
    response = post(api, "/companies", {"name": "Acme", "website": website})

    assert response.status_code == 201
    assert response.json()["website"] == website


def test_a_lead_naming_its_company_by_a_javascript_website_is_refused(api):
    response = post(
        api,
        "/leads",
        {"email": "jo@acme.test", "company_name": "Acme", "company_website": "javascript:x"},
    )

    assert response.status_code == 422
    assert "company_website" in response.json()["errors"]


def test_an_imported_javascript_website_is_dropped_and_the_lead_kept(
    workspace, owner, tmp_path, settings
):
    import io

    from django.test import TestCase

    from crm.models import Lead
    from integrations.imports.jobs import import_create, import_start

    settings.IMPORT_UPLOAD_DIR = tmp_path
    data = b"Email,Company,Website\njo@acme.test,Acme,javascript:alert(1)\n"
    job = import_create(workspace=workspace, user=owner, file_name="x.csv", stream=io.BytesIO(data))
    with TestCase.captureOnCommitCallbacks(execute=True):
        import_start(job=job)

    lead = Lead.objects.select_related("company").get(email="jo@acme.test")
    assert lead.company.name == "Acme"
    assert lead.company.website == ""
