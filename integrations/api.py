"""/imports and /exports: CSV/Excel import of leads (upload → mapping → run) and CSV export."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from crm.api.schemas.common import errors
from crm.selectors.leads import LeadFilters, leads_filtered
from integrations.exports.columns import FIXED_COLUMNS, columns_resolve
from integrations.exports.download import leads_csv_download
from integrations.imports.errors_report import errors_csv_chunks
from integrations.imports.jobs import (
    import_cancel,
    import_configure,
    import_create,
    import_resume,
    import_start,
)
from integrations.imports.mapping import mapping_save, suggest_mapping
from integrations.imports.preview import import_preview
from integrations.imports.selectors import (
    import_errors,
    import_get,
    imports_recent,
    mapping_get,
    mappings_of,
)
from integrations.imports.targets import FIXED_TARGETS
from integrations.schemas import (
    ImportOptionsIn,
    ImportOut,
    ImportPreviewOut,
    MappingIn,
    MappingOut,
    RowErrorOut,
    SuggestIn,
    SuggestOut,
    TargetOut,
)

router = Router(tags=["imports and exports"])

MAX_UPLOAD_BYTES = 1024 * 1024 * 1024


def _ws(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.workspace  # type: ignore[attr-defined]


@router.post(
    "/imports",
    response={201: ImportOut, **errors(413, 422)},
    summary="Upload a file to import",
    description="CSV/TSV in any common encoding and delimiter, or .xlsx. Answers with the "
    "detected dialect, header row, and a suggested mapping to confirm before starting.",
)
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    preset: Form[str] = "",
    mapping_id: Form[int | None] = None,
):
    if file.size and file.size > MAX_UPLOAD_BYTES:
        return Status(413, {"detail": "Files up to 1 GB can be imported.", "errors": {}})
    saved = mapping_get(workspace=_ws(request), mapping_id=mapping_id) if mapping_id else None
    job = import_create(
        workspace=_ws(request),
        user=request.user,
        file_name=file.name or "upload.csv",
        stream=file,
        preset=preset,
        saved_mapping=saved,
    )
    return Status(201, job)


@router.get("/imports", response={200: list[ImportOut], **errors()}, summary="Recent imports")
def imports_list(request: HttpRequest):
    return list(imports_recent(workspace=_ws(request)))


@router.get(
    "/imports/targets",
    response={200: list[TargetOut], **errors()},
    summary="What a column can be mapped to",
    description="Plus `custom:<key>` for a lead custom field (created when new).",
)
def import_targets(request: HttpRequest):
    return [{"name": name, "label": label} for name, label in FIXED_TARGETS.items()]


@router.post(
    "/imports/suggest-mapping",
    response={200: SuggestOut, **errors(404, 422)},
    summary="Suggest a mapping for header names",
)
def import_suggest(request: HttpRequest, payload: SuggestIn):
    saved = (
        mapping_get(workspace=_ws(request), mapping_id=payload.mapping_id)
        if payload.mapping_id
        else None
    )
    return suggest_mapping(
        workspace=_ws(request), headers=payload.headers, preset=payload.preset, saved=saved
    ).__dict__


@router.get(
    "/imports/{job_id}",
    response={200: ImportOut, **errors(404)},
    summary="An import, with live progress",
)
def import_detail(request: HttpRequest, job_id: int):
    return import_get(workspace=_ws(request), job_id=job_id)


@router.patch(
    "/imports/{job_id}",
    response={200: ImportOut, **errors(404, 409, 422)},
    summary="Set the mapping and options of an import not started yet",
)
def import_update(request: HttpRequest, job_id: int, payload: ImportOptionsIn):
    job = import_get(workspace=_ws(request), job_id=job_id)
    return import_configure(job=job, **payload.dict(exclude_unset=True))


@router.post(
    "/imports/{job_id}/preview",
    response={200: ImportPreviewOut, **errors(404)},
    summary="The first rows as they will be stored, and new vs existing counts",
)
def import_preview_view(request: HttpRequest, job_id: int):
    job = import_get(workspace=_ws(request), job_id=job_id)
    return import_preview(job=job).__dict__


@router.post(
    "/imports/{job_id}/start",
    response={202: ImportOut, **errors(404, 409, 422)},
    summary="Start an import with its mapping and options (set them with PATCH)",
)
def import_start_view(request: HttpRequest, job_id: int):
    job = import_get(workspace=_ws(request), job_id=job_id)
    return Status(202, import_start(job=job))


@router.post(
    "/imports/{job_id}/cancel",
    response={200: ImportOut, **errors(404, 409)},
    summary="Cancel an import (rows already committed stay)",
)
def import_cancel_view(request: HttpRequest, job_id: int):
    return import_cancel(job=import_get(workspace=_ws(request), job_id=job_id))


@router.post(
    "/imports/{job_id}/resume",
    response={202: ImportOut, **errors(404, 409)},
    summary="Resume a failed, cancelled or stalled import after its last committed row",
)
def import_resume_view(request: HttpRequest, job_id: int):
    return Status(202, import_resume(job=import_get(workspace=_ws(request), job_id=job_id)))


@router.get(
    "/imports/{job_id}/errors",
    response={200: list[RowErrorOut], **errors(404)},
    summary="The first 100 row errors",
)
def import_errors_view(request: HttpRequest, job_id: int):
    return list(import_errors(job=import_get(workspace=_ws(request), job_id=job_id)))


@router.get(
    "/imports/{job_id}/errors.csv",
    response={200: None, **errors(404)},
    summary="Refused rows as CSV: the file's columns plus `error`",
)
def import_errors_csv(request: HttpRequest, job_id: int):
    job = import_get(workspace=_ws(request), job_id=job_id)
    response = StreamingHttpResponse(
        errors_csv_chunks(job=job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@router.get(
    "/import-mappings", response={200: list[MappingOut], **errors()}, summary="Saved mappings"
)
def mappings_list(request: HttpRequest):
    return list(mappings_of(workspace=_ws(request)))


@router.post(
    "/import-mappings",
    response={201: MappingOut, **errors(409, 422)},
    summary="Save a mapping under a name (replaces one of the same name)",
)
def mapping_create(request: HttpRequest, payload: MappingIn):
    return Status(
        201,
        mapping_save(
            workspace=_ws(request),
            name=payload.name,
            headers=payload.headers,
            targets=payload.targets,
        ),
    )


@router.get(
    "/exports/leads.csv",
    response={200: None, **errors(422)},
    summary="Export leads as CSV",
    description="Any filtered set (q, list_id, tag_id, owner_id, country) with chosen `columns` "
    f"(comma-separated; {', '.join(FIXED_COLUMNS)}, slot1-3, tags, lists, custom:<key>). "
    "UTF-8 with BOM; formula-like cells are neutralized.",
)
def export_leads(
    request: HttpRequest,
    columns: str = "",
    q: str = "",
    list_id: int | None = None,
    tag_id: int | None = None,
    owner_id: int | None = None,
    country: str = "",
):
    chosen = columns_resolve(
        workspace=_ws(request), names=[c for c in columns.split(",") if c.strip()] or None
    )
    filters = LeadFilters(q=q, list_id=list_id, tag_id=tag_id, owner_id=owner_id, country=country)
    leads = leads_filtered(workspace=_ws(request), filters=filters)
    return leads_csv_download(leads=leads, columns=chosen, content_type="text/csv; charset=utf-8")
