"""Request and response shapes of the import and export endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from crm.api.schemas.common import InputSchema
from integrations.imports.selectors import import_progress
from integrations.models import ImportJob


class ProgressOut(Schema):
    percent: float
    rows_done: int
    rows_total: int | None = Field(None, description="Estimated from bytes read until done.")
    rows_per_second: float | None
    eta_seconds: int | None
    finished: bool


class ImportOut(Schema):
    id: int
    status: str
    file_name: str
    file_format: str
    encoding: str
    delimiter: str
    header_row: int = Field(..., description="Spreadsheet row number of the header row.")
    headers: list[str]
    preset: str
    mapping: list[str] = Field(..., description="Target of each column by position; '' = ignored.")
    on_duplicate: str
    lead_list_id: int | None
    tag_ids: list[int]
    owner_id: int | None
    stage: str
    stage_applied: bool
    source_label: str
    created: int
    updated: int
    duplicates: int
    failed: int
    error_message: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    progress: ProgressOut

    @staticmethod
    def resolve_progress(obj: ImportJob) -> dict[str, Any]:
        return import_progress(obj).__dict__


class ImportOptionsIn(InputSchema):
    mapping: list[str] | None = Field(
        None, description="A target per column (see /imports/targets)."
    )
    on_duplicate: str | None = Field(None, description="skip, fill or overwrite")
    list_id: int | None = None
    list_name: str | None = Field(None, description="Created when no list has this name.")
    tags: list[str] | None = Field(None, description="Tag names, created when new.")
    owner_id: int | None = None
    stage: str | None = Field(None, description="Initial stage: a stage kind or id (cold).")
    source_label: str | None = None
    save_mapping_as: str = ""


class SuggestIn(InputSchema):
    headers: list[str] = Field(..., min_length=1, max_length=500)
    preset: str = ""
    mapping_id: int | None = None


class SuggestOut(Schema):
    preset: str
    targets: list[str]
    reasons: list[str]


class TargetOut(Schema):
    name: str
    label: str


class ProblemOut(Schema):
    column: str
    message: str


class PreviewRowOut(Schema):
    row: int
    lead: dict[str, Any] | None
    problems: list[ProblemOut]


class ImportPreviewOut(Schema):
    rows: list[PreviewRowOut]
    new: int
    existing: int
    duplicates_in_file: int
    invalid: int
    checked: int
    complete: bool = Field(..., description="False when only the first rows were counted.")


class RowErrorOut(Schema):
    row_number: int
    column: str
    message: str
    values: list[str]


class MappingIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    headers: list[str]
    targets: list[str]


class MappingOut(Schema):
    id: int
    name: str
    columns: dict[str, str]
