"""What an import would do, before it runs: the first rows as they will be stored, and how many
rows are new, already in the workspace, repeated in the file, or invalid."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from crm.actors import Actor
from integrations.imports.rows import BadRow, LeadRow
from integrations.imports.run import cleaner_for, import_writer, job_rows
from integrations.models import ImportJob

COUNT_LIMIT = 50_000
BATCH = 2_000


@dataclass
class Preview:
    rows: list[dict[str, Any]] = field(default_factory=list)
    new: int = 0
    existing: int = 0
    duplicates_in_file: int = 0
    invalid: int = 0
    checked: int = 0
    complete: bool = True


def _shown(row: LeadRow | BadRow) -> dict[str, Any]:
    if isinstance(row, BadRow):
        return {
            "row": row.number,
            "lead": None,
            "problems": [{"column": c, "message": m} for c, m in row.problems],
        }
    lead = {k: v for k, v in row.fields.items() if v}
    lead.update({"email": row.email, "linkedin_url": row.linkedin})
    if row.company is not None:
        lead["company_name"] = row.company.name
        if row.company.website:
            lead["company_website"] = row.company.website
    if row.slots:
        lead["slots"] = row.slots
    if row.custom:
        lead["custom_fields"] = row.custom
    return {"row": row.number, "lead": lead, "problems": []}


def import_preview(*, job: ImportJob, sample: int = 10, count_limit: int = COUNT_LIMIT) -> Preview:
    """Dry run of the job's current mapping; reads the database, writes nothing."""
    cleaner = cleaner_for(job)
    writer = import_writer(job, Actor.system("preview"))
    preview = Preview()
    seen_emails: set[str] = set()
    seen_linkedins: set[str] = set()
    cleaned = (cleaner.clean_source(r) for r in job_rows(job))
    rows = (r for r in cleaned if r is not None)
    while True:
        batch = list(islice(rows, BATCH))
        if not batch:
            break
        if len(preview.rows) < sample:
            preview.rows.extend(_shown(r) for r in batch[: sample - len(preview.rows)])
        fresh = []
        for row in batch:
            if isinstance(row, BadRow):
                preview.invalid += 1
            elif (row.email and row.email in seen_emails) or (
                row.linkedin and row.linkedin in seen_linkedins
            ):
                preview.duplicates_in_file += 1
            else:
                if row.email:
                    seen_emails.add(row.email)
                if row.linkedin:
                    seen_linkedins.add(row.linkedin)
                fresh.append(row)
        found = writer.leads_find(
            [r.email for r in fresh if r.email], [r.linkedin for r in fresh if r.linkedin], ()
        )
        emails = {f[1] for f in found if f[1]}
        linkedins = {f[2] for f in found if f[2]}
        for row in fresh:
            if (row.email in emails) or (row.linkedin in linkedins):
                preview.existing += 1
            else:
                preview.new += 1
        preview.checked += len(batch)
        if preview.checked >= count_limit:
            preview.complete = next(rows, None) is None
            break
    return preview
