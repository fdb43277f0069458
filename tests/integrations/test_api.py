"""/api/v1/imports and /api/v1/exports: upload, suggest, preview, start, status, errors."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crm.models import Lead
from crm.services.api_keys import api_key_create
from tests.integrations.conftest import SAMPLES


def _upload(api, name="apollo.csv", data=None):
    content = data if data is not None else (SAMPLES / name).read_bytes()
    return api.post("/api/v1/imports", {"file": SimpleUploadedFile(name, content)})


def test_uploading_suggests_a_mapping(api):
    response = _upload(api)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["preset"] == "apollo"
    assert body["headers"][5] == "Email"
    assert body["mapping"][5] == "email"
    assert body["progress"]["percent"] == 0


def test_it_suggests_a_mapping_for_headers(api):
    response = api.post(
        "/api/v1/imports/suggest-mapping",
        {"headers": ["E-mail", "Prénom", "Linkedin Profile", "Compnay", "PS line", "Shoe size"]},
        content_type="application/json",
    )

    body = response.json()
    assert body["targets"] == ["email", "first_name", "linkedin_url", "company_name", "slot3", ""]
    assert body["reasons"][3] == "fuzzy"


def test_preview_then_start_then_status_then_errors(
    api, workspace, django_capture_on_commit_callbacks
):
    Lead.objects.create(workspace=workspace, email="jane.doe@acme.com")
    job_id = _upload(api).json()["id"]

    preview = api.post(f"/api/v1/imports/{job_id}/preview").json()
    assert (preview["new"], preview["existing"], preview["invalid"]) == (2, 1, 1)
    assert preview["rows"][0]["lead"]["email"] == "jane.doe@acme.com"
    assert preview["rows"][3]["problems"][0]["column"] == "Email"

    configured = api.patch(
        f"/api/v1/imports/{job_id}",
        {"on_duplicate": "fill", "tags": ["apollo"], "list_name": "Apollo Q3"},
        content_type="application/json",
    )
    assert configured.status_code == 200, configured.content
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(f"/api/v1/imports/{job_id}/start")
    assert started.status_code == 202, started.content

    status = api.get(f"/api/v1/imports/{job_id}").json()
    assert status["status"] == "done"
    assert (status["created"], status["updated"], status["failed"]) == (2, 1, 1)
    assert status["progress"]["percent"] == 100

    errors = api.get(f"/api/v1/imports/{job_id}/errors").json()
    assert errors[0]["row_number"] == 5
    report = api.get(f"/api/v1/imports/{job_id}/errors.csv")
    assert report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "error" and rows[1][5] == "not-an-email"


def test_a_mapping_without_an_identity_column_is_refused(api):
    job_id = _upload(api).json()["id"]

    response = api.patch(
        f"/api/v1/imports/{job_id}", {"mapping": ["first_name"]}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "mapping" in response.json()["errors"]


def test_a_saved_mapping_is_reused_for_the_next_file(api):
    data = b"Courriel pro,Nom complet\na@acme.com,Ann Lee\n"
    job_id = _upload(api, "crm.csv", data).json()["id"]
    api.patch(
        f"/api/v1/imports/{job_id}",
        {"mapping": ["email", "full_name"], "save_mapping_as": "Our CRM"},
        content_type="application/json",
    )
    saved = api.get("/api/v1/import-mappings").json()
    assert [m["name"] for m in saved] == ["Our CRM"]

    response = api.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("next.csv", data), "mapping_id": saved[0]["id"]},
    )

    assert response.json()["mapping"] == ["email", "full_name"]


def test_another_workspaces_import_is_a_404(api, other_workspace, stranger):
    _, token = api_key_create(workspace=other_workspace, user=stranger, name="globex")
    theirs = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    job_id = _upload(theirs).json()["id"]

    assert api.get(f"/api/v1/imports/{job_id}").status_code == 404
    assert api.get(f"/api/v1/imports/{job_id}/errors.csv").status_code == 404
    assert api.post(f"/api/v1/imports/{job_id}/start").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/imports", "/api/v1/exports/leads.csv"])
def test_it_needs_an_api_key(client, path):
    assert client.get(path).status_code == 401
