"""Rows the CSV reader cannot read (a cell over 10 MiB, a quote never closed) are per-row
errors with the reason; the rows around them are imported."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from crm.models import Lead
from integrations.imports.dialects import FIELD_LIMIT
from integrations.models import ImportRowError

HUGE = "x" * (FIELD_LIMIT + 1)


def _emails(workspace) -> set[str | None]:  # type: ignore[no-untyped-def]
    return set(Lead.objects.filter(workspace=workspace).values_list("email", flat=True))


def test_a_cell_over_10_mib_is_a_row_error_and_the_other_rows_are_kept(run_import, workspace):
    data = f"Email,First name\na@acme.test,Ann\nb@acme.test,{HUGE}\nc@acme.test,Cy\n".encode()

    job = run_import(data)

    assert _emails(workspace) == {"a@acme.test", "c@acme.test"}
    (error,) = ImportRowError.objects.filter(job=job)
    assert error.row_number == 3
    assert "larger than 10 MiB" in error.message


def test_an_unclosed_quote_is_named_and_the_rows_after_it_are_kept(run_import, workspace):
    data = b'Email,First name\na@acme.test,Ann\nb@acme.test,"Bo\nc@acme.test,Cy\nd@acme.test,Di\n'

    job = run_import(data)

    assert _emails(workspace) == {"a@acme.test", "c@acme.test", "d@acme.test"}
    (error,) = ImportRowError.objects.filter(job=job)
    assert error.row_number == 3
    assert "quote" in error.message and "never closed" in error.message


def test_a_quoted_cell_over_several_lines_is_still_one_cell(run_import, workspace):
    data = b'Email,City\na@acme.test,"Paris\nFrance"\nb@acme.test,Lyon\n'

    job = run_import(data)

    assert _emails(workspace) == {"a@acme.test", "b@acme.test"}
    assert not ImportRowError.objects.filter(job=job).exists()


def test_the_upload_of_a_file_with_a_huge_cell_is_accepted(api):
    data = f"Email,Notes\na@acme.test,{HUGE}\nb@acme.test,ok\n".encode()

    response = api.post("/api/v1/imports", {"file": io.BytesIO(data)})

    assert response.status_code == 201, response.content[:500]


def test_the_cli_reports_the_row_instead_of_a_traceback(workspace, tmp_path):
    source = tmp_path / "big.csv"
    source.write_text(f"Email,Notes\na@acme.test,{HUGE}\nb@acme.test,ok\n")
    out = io.StringIO()

    call_command("import_leads", str(source), "--workspace", "acme", "--json", stdout=out)

    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (summary["created"], summary["failed"]) == (1, 1)
    assert "larger than 10 MiB" in (tmp_path / "big.errors.csv").read_text(encoding="utf-8-sig")
