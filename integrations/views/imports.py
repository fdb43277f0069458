"""The import wizard: upload → mapping with a preview → options → run with progress → report.

One page per import; what it shows follows the job's status, so a reload (or another tab) always
lands on the right step. Progress is an HTMX fragment polled every second while the job runs.
"""

from __future__ import annotations

from itertools import islice

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.models import CustomFieldDefinition
from crm.selectors.records import lists_all
from crm.web.access import workspace_view
from integrations.imports.errors_report import errors_csv_chunks
from integrations.imports.jobs import (
    import_cancel,
    import_configure,
    import_create,
    import_resume,
    import_start,
)
from integrations.imports.mapping import header_key
from integrations.imports.presets import PRESETS
from integrations.imports.preview import import_preview
from integrations.imports.run import job_rows
from integrations.imports.selectors import (
    import_errors,
    import_get,
    import_progress,
    imports_recent,
    mapping_get,
    mappings_of,
)
from integrations.imports.targets import COMPANY_TARGETS, LEAD_TARGETS, SLOT_TARGETS
from integrations.models import DuplicatePolicy, ImportStatus

SAMPLE_ROWS = 3


@workspace_view
def imports_index(request: HttpRequest) -> HttpResponse:
    """Recent imports and the upload form (step 1)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Choose a CSV or Excel file to import.")
        else:
            try:
                mapping_id = request.POST.get("mapping_id") or ""
                saved = (
                    mapping_get(workspace=workspace, mapping_id=int(mapping_id))
                    if mapping_id.isdigit()
                    else None
                )
                job = import_create(
                    workspace=workspace,
                    user=request.user,
                    file_name=upload.name or "upload.csv",
                    stream=upload,
                    preset=request.POST.get("preset", ""),
                    saved_mapping=saved,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("integrations:import", ws=workspace.slug, job_id=job.pk)
    return render(
        request,
        "integrations/imports/index.html",
        {
            "imports": imports_recent(workspace=workspace, limit=20),
            "presets": PRESETS.values(),
            "mappings": mappings_of(workspace=workspace),
        },
    )


def _target_groups(workspace) -> list[tuple[str, list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    custom = [
        (f"custom:{d.key}", d.label)
        for d in CustomFieldDefinition.objects.filter(workspace=workspace, entity="lead")
    ]
    return [
        ("Lead", list(LEAD_TARGETS.items())),
        ("Company", list(COMPANY_TARGETS.items())),
        ("Sequence slots", list(SLOT_TARGETS.items())),
        ("Custom fields", custom),
    ]


def _columns(job) -> list[dict]:  # type: ignore[no-untyped-def]
    samples = [row.cells for row in islice(job_rows(job), SAMPLE_ROWS)]
    return [
        {
            "index": index,
            "header": header or f"Column {index + 1}",
            "target": job.mapping[index] if index < len(job.mapping) else "",
            "samples": [cells[index] for cells in samples if index < len(cells) and cells[index]],
            "new_custom": f"custom:{header_key(header)[:60] or f'column_{index + 1}'}",
        }
        for index, header in enumerate(job.headers)
    ]


def _posted_options(request: HttpRequest, job) -> dict:  # type: ignore[no-untyped-def]
    post = request.POST
    list_id = post.get("list_id", "")
    return {
        "mapping": [post.get(f"col_{i}", "") for i in range(len(job.headers))],
        "on_duplicate": post.get("on_duplicate") or DuplicatePolicy.SKIP,
        "list_id": int(list_id) if list_id.isdigit() else None,
        "list_name": post.get("list_name", "").strip() or None,
        "tags": [t for t in post.get("tags", "").split(",") if t.strip()],
        "stage": post.get("stage", "cold"),
        "source_label": post.get("source_label", job.source_label),
        "save_mapping_as": post.get("save_mapping_as", "").strip(),
    }


@workspace_view
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """Steps 2–5 of one import: mapping and options (draft), progress, then the report."""
    workspace = request.workspace  # type: ignore[attr-defined]
    job = import_get(workspace=workspace, job_id=job_id)
    if request.method == "POST" and job.status == ImportStatus.DRAFT:
        try:
            job = import_configure(job=job, **_posted_options(request, job))
            import_start(job=job)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("integrations:import", ws=workspace.slug, job_id=job.pk)
    context = {"job": job, "progress": import_progress(job)}
    if job.status == ImportStatus.DRAFT:
        context.update(
            columns=_columns(job),
            groups=_target_groups(workspace),
            lists=lists_all(workspace=workspace),
            policies=DuplicatePolicy.choices,
        )
    else:
        context["errors"] = import_errors(job=job, limit=20)
    return render(request, "integrations/imports/detail.html", context)


@workspace_view
@require_POST
def import_preview_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """HTMX fragment: the first rows exactly as they will be stored, new vs existing counts."""
    job = import_get(workspace=request.workspace, job_id=job_id)  # type: ignore[attr-defined]
    if job.status == ImportStatus.DRAFT:
        # The preview follows the mapping on screen, without saving it.
        job.mapping = [request.POST.get(f"col_{i}", "") for i in range(len(job.headers))]
    try:
        preview = import_preview(job=job)
    except DomainError as exc:
        return HttpResponse(f'<div class="flash flash-error">{exc.message}</div>')
    fields = [
        "first_name",
        "last_name",
        "email",
        "linkedin_url",
        "title",
        "company_name",
        "city",
        "country",
    ]
    return render(
        request, "integrations/imports/_preview.html", {"preview": preview, "fields": fields}
    )


@workspace_view
def import_progress_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """HTMX fragment polled while the job runs; when it ends, the page reloads to the report."""
    job = import_get(workspace=request.workspace, job_id=job_id)  # type: ignore[attr-defined]
    response = render(
        request,
        "integrations/imports/_progress.html",
        {"job": job, "progress": import_progress(job)},
    )
    if job.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
        response["HX-Refresh"] = "true"
    return response


@workspace_view
@require_POST
def import_cancel_view(request: HttpRequest, job_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    try:
        import_cancel(job=import_get(workspace=workspace, job_id=job_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integrations:import", ws=workspace.slug, job_id=job_id)


@workspace_view
@require_POST
def import_resume_view(request: HttpRequest, job_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    try:
        import_resume(job=import_get(workspace=workspace, job_id=job_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integrations:import", ws=workspace.slug, job_id=job_id)


@workspace_view
def import_errors_csv(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_get(workspace=request.workspace, job_id=job_id)  # type: ignore[attr-defined]
    response = StreamingHttpResponse(errors_csv_chunks(job=job), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response  # type: ignore[return-value]  # streamed
