"""Web UI pages of the integrations app, under /w/<workspace slug>/."""

from django.urls import path

from integrations.views import exports, imports

app_name = "integrations"
urlpatterns: list = [
    path("imports/", imports.imports_index, name="imports"),
    path("imports/<int:job_id>/", imports.import_detail, name="import"),
    path("imports/<int:job_id>/preview/", imports.import_preview_view, name="import_preview"),
    path("imports/<int:job_id>/progress/", imports.import_progress_view, name="import_progress"),
    path("imports/<int:job_id>/cancel/", imports.import_cancel_view, name="import_cancel"),
    path("imports/<int:job_id>/resume/", imports.import_resume_view, name="import_resume"),
    path("imports/<int:job_id>/errors.csv", imports.import_errors_csv, name="import_errors_csv"),
    path("exports/leads/", exports.export_leads, name="export_leads"),
]
