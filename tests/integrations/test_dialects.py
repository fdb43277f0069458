"""Files in every encoding and dialect SDRs produce read the same."""

from __future__ import annotations

import io

import openpyxl
import pytest

from crm.models import Lead

ROWS = [
    ["First Name", "Last Name", "Email", "Title"],
    ["Zoë", "Müller", "zoe@globex.de", "Directrice, Ventes"],
    ["José", "Núñez", "jose@initech.io", "CEO"],
]


def _text(delimiter: str) -> str:
    return "\r\n".join(delimiter.join(f'"{c}"' if "," in c else c for c in r) for r in ROWS)


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        (_text(",").encode("utf-8"), "utf-8", ","),
        (b"\xef\xbb\xbf" + _text(";").encode("utf-8"), "utf-8-sig", ";"),
        (_text("\t").encode("utf-16"), "utf-16", "\t"),
        (_text("\t").encode("utf-16-le"), "utf-16-le", "\t"),
        (_text(";").encode("cp1252"), "cp1252", ";"),
    ],
    ids=["utf8-comma", "utf8-bom-semicolon", "utf16-bom-tab", "utf16le-no-bom", "cp1252"],
)
def test_it_reads_each_encoding_and_delimiter(run_import, workspace, data, encoding, delimiter):
    job = run_import(data)

    assert (job.encoding, job.delimiter) == (encoding, delimiter)
    assert job.created == 2, job.error_message
    zoe = Lead.objects.get(workspace=workspace, email="zoe@globex.de")
    assert (zoe.first_name, zoe.last_name, zoe.title) == ("Zoë", "Müller", "Directrice, Ventes")


def test_it_tells_latin1_from_windows_1252(upload):
    # 0x81 is undefined in Windows-1252: such a file can only be Latin-1.
    job = upload("Email,Name\nx@acme.com,Ren\x81e\n".encode("latin-1"))

    assert job.encoding == "latin-1"


def test_it_reads_quoted_newlines_ragged_rows_and_blank_lines(run_import, workspace):
    data = (
        b"Email,First Name,Notes\n"
        b'ana@acme.com,Ana,"line one\nline two, with comma"\n'
        b"\n"
        b"ben@acme.com\n"
        b"cy@acme.com,Cy,x,extra,cells\n"
    )
    job = run_import(data)

    assert (job.created, job.failed) == (3, 0)
    assert Lead.objects.get(email="ben@acme.com").first_name == ""
    assert Lead.objects.get(email="cy@acme.com").first_name == "Cy"


def test_it_numbers_rows_as_the_spreadsheet_does(run_import):
    data = b'Email,Name\n"a@acme.com","multi\nline"\n\nnot-an-email,Bob\n'
    job = run_import(data)

    error = job.row_errors.get()
    assert error.row_number == 4  # header 1, row 2 (two lines), blank 3, bad row 4
    assert error.column == "Email"


def test_it_maps_only_the_first_of_duplicate_header_names(upload):
    job = upload(b"Email,Email,Name\na@acme.com,b@acme.com,Ann\n")

    assert job.headers == ["Email", "Email", "Name"]
    assert job.mapping[:2] == ["email", ""]


def test_it_imports_an_xlsx_workbook(run_import, workspace):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [*ROWS, ["Ann", "Lee", "ann@acme.com", 42]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)

    job = run_import(buffer.getvalue(), name="leads.xlsx")

    assert job.file_format == "xlsx"
    assert job.created == 3, job.error_message
    assert Lead.objects.get(workspace=workspace, email="ann@acme.com").title == "42"


def test_it_refuses_a_binary_file(upload):
    from crm.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        upload(b"\x00\x01\x02\x03" * 100, name="photo.jpg")
