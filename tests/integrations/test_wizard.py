"""The import wizard pages (server side; the browser test drives them for real)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm.models import Lead
from integrations.models import ImportJob
from tests.integrations.conftest import SAMPLES


def _upload(web) -> ImportJob:
    response = web.post(
        reverse("integrations:imports", kwargs={"ws": "acme"}),
        {"file": SimpleUploadedFile("apollo.csv", (SAMPLES / "apollo.csv").read_bytes())},
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("integrations:import", kwargs={"ws": "acme", "job_id": job.pk})
    return job


def test_the_wizard_maps_previews_runs_and_reports(
    web, workspace, django_capture_on_commit_callbacks
):
    job = _upload(web)
    page = web.get(reverse("integrations:import", kwargs={"ws": "acme", "job_id": job.pk}))
    assert page.status_code == 200
    assert b"Person Linkedin Url" in page.content and b"jane.doe@acme.com" in page.content
    form = {f"col_{i}": t for i, t in enumerate(job.mapping)}

    preview = web.post(
        reverse("integrations:import_preview", kwargs={"ws": "acme", "job_id": job.pk}), form
    )
    assert b"3 new" in preview.content and b"1 invalid" in preview.content

    with django_capture_on_commit_callbacks(execute=True):
        web.post(
            reverse("integrations:import", kwargs={"ws": "acme", "job_id": job.pk}),
            {**form, "on_duplicate": "skip", "tags": "apollo", "stage": "cold"},
        )
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 3)
    report = web.get(reverse("integrations:import", kwargs={"ws": "acme", "job_id": job.pk}))
    assert b"download-errors" in report.content
    errors = web.get(
        reverse("integrations:import_errors_csv", kwargs={"ws": "acme", "job_id": job.pk})
    )
    assert b"not-an-email" in b"".join(errors.streaming_content)
    assert Lead.objects.filter(workspace=workspace).count() == 3


def test_progress_fragment_asks_for_a_refresh_when_the_job_ends(web, workspace, run_import):
    job = run_import("hubspot.csv")

    response = web.get(
        reverse("integrations:import_progress", kwargs={"ws": "acme", "job_id": job.pk})
    )

    assert response["HX-Refresh"] == "true"


def test_another_workspaces_import_page_is_a_404(web, other_workspace, stranger, client):
    import io

    from integrations.imports.jobs import import_create

    theirs = import_create(
        workspace=other_workspace,
        user=stranger,
        file_name="x.csv",
        stream=io.BytesIO(b"Email\na@globex.com\n"),
    )

    url = reverse("integrations:import", kwargs={"ws": "globex", "job_id": theirs.pk})
    assert web.get(url).status_code == 404
    url = reverse("integrations:import", kwargs={"ws": "acme", "job_id": theirs.pk})
    assert web.get(url).status_code == 404


def test_the_export_page_downloads_a_csv(web, workspace):
    Lead.objects.create(workspace=workspace, email="x@acme.com", first_name="@risky")
    url = reverse("integrations:export_leads", kwargs={"ws": "acme"})

    assert web.get(url).status_code == 200
    response = web.get(url, {"download": 1, "columns": ["email", "first_name"]})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == ["Email,First name", "x@acme.com,'@risky"]
