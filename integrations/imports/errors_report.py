"""The rows an import refused, back as a CSV the user can fix and re-import.

Same columns as the uploaded file plus ``error``; cells are written as they were in the file
(not formula-neutralized: it is the user's own data going back to them, and re-importing the
fixed file must give the same values).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from integrations.models import ImportJob, ImportRowError

BOM = "\ufeff"


def _rows(job: ImportJob) -> Iterator[list[str]]:
    yield [*job.headers, "error"]
    width = len(job.headers)
    errors = (
        ImportRowError.objects.filter(job=job)
        .order_by("row_number", "id")
        .values_list("row_number", "column", "message", "values")
        .iterator(chunk_size=2000)
    )
    for _number, group in groupby(errors, key=lambda e: e[0]):
        items = list(group)
        values = list(items[0][3])
        values += [""] * (width - len(values))
        reasons = "; ".join(
            f"{column}: {message}" if column else message for _, column, message, _ in items
        )
        yield [*values, reasons]


def errors_csv_chunks(*, job: ImportJob) -> Iterator[str]:
    """The error report as text chunks (for a streaming HTTP response), UTF-8 BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    for count, row in enumerate(_rows(job), start=1):
        writer.writerow(row)
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def errors_csv_write(*, job: ImportJob, path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        for part in errors_csv_chunks(job=job):
            out.write(part)
    return path
