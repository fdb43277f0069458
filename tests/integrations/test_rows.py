"""Every kind of bad row is reported with its spreadsheet row, column and reason."""

from __future__ import annotations

import csv
import io

from crm.models import Lead
from crm.services.custom_fields import custom_field_define
from integrations.imports.errors_report import errors_csv_chunks


def test_it_reports_each_kind_of_bad_row(run_import, workspace):
    custom_field_define(workspace=workspace, key="budget", label="Budget", field_type="number")
    custom_field_define(workspace=workspace, key="renewal", label="Renewal", field_type="date")
    custom_field_define(
        workspace=workspace,
        key="tier",
        label="Tier",
        field_type="choice",
        choices=["Gold", "Silver"],
    )
    long_title = "x" * 201
    data = (
        "Email,LinkedIn,Title,Time zone,Budget,Renewal,Tier\n"
        "good@acme.com,,CEO,Europe/Paris,1200,2025-01-31,gold\n"
        "bad@@acme.com,,CEO,,,,\n"
        ",,Ghost,,,,\n"
        f"long@acme.com,,{long_title},,,,\n"
        "tz@acme.com,,CEO,Mars/Olympus,,,\n"
        "num@acme.com,,CEO,,lots,,\n"
        "date@acme.com,,CEO,,,31/01/2025,\n"
        "choice@acme.com,,CEO,,,,Platinum\n"
        ",https://www.linkedin.com/company/acme,CEO,,,,\n"
    ).encode()
    job = run_import(
        data,
        mapping=[
            "email",
            "linkedin_url",
            "title",
            "timezone",
            "custom:budget",
            "custom:renewal",
            "custom:tier",
        ],
    )

    assert (job.created, job.failed) == (1, 8)
    errors = {e.row_number: (e.column, e.message) for e in job.row_errors.all()}
    assert errors[3] == ("Email", "'bad@@acme.com' is not a valid email address")
    assert errors[4] == ("Email", "needs an email or a LinkedIn URL")
    assert errors[5] == ("Title", "is longer than 200 characters")
    assert errors[6][0] == "Time zone" and "IANA" in errors[6][1]
    assert errors[7] == ("Budget", "'lots' is not a number")
    assert errors[8][0] == "Renewal" and "not a date" in errors[8][1]
    assert errors[9][0] == "Tier" and "Platinum" in errors[9][1]
    assert errors[10][0] == "LinkedIn" and "profile URL" in errors[10][1]
    good = Lead.objects.get(workspace=workspace, email="good@acme.com")
    assert good.custom_fields == {"budget": 1200, "renewal": "2025-01-31", "tier": "Gold"}


def test_its_error_report_is_the_file_plus_an_error_column(run_import):
    job = run_import(b"Email,Name\nok@acme.com,Ok\nnope,Bad Row\n")

    text = "".join(errors_csv_chunks(job=job))

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        ["Email", "Name", "error"],
        ["nope", "Bad Row", "Email: 'nope' is not a valid email address"],
    ]


def test_a_fixed_error_report_reimports_just_those_rows(run_import, workspace):
    job = run_import(b"Email,Name\nok@acme.com,Ok\nnope,Fixed Later\n")
    report = "".join(errors_csv_chunks(job=job)).replace("nope,", "fixed@acme.com,", 1)

    again = run_import(report.encode("utf-8"), name="fixed.csv")

    assert (again.created, again.failed, again.mapping[-1]) == (1, 0, "")
    assert Lead.objects.filter(workspace=workspace).count() == 2


def test_it_creates_custom_fields_for_columns_mapped_to_new_keys(run_import, workspace):
    job = run_import(
        b"Email,Favourite tool\na@acme.com,HubSpot\n", mapping=["email", "custom:favourite_tool"]
    )

    assert job.created == 1
    lead = Lead.objects.get(workspace=workspace, email="a@acme.com")
    assert lead.custom_fields == {"favourite_tool": "HubSpot"}
    assert workspace.custom_fields.get(key="favourite_tool").label == "Favourite tool"
