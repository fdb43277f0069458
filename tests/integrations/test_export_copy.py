"""The CSV export's two paths write the same file: COPY on PostgreSQL, Python elsewhere.

Tricky data (formulas, quotes, newlines, unicode, empty vs NULL, JSON values of each type, tags,
lists, timestamps) is exported through ``leads_csv_chunks``; on every database the cells must be
the expected ones, and on PostgreSQL the bytes must equal the Python path's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from psycopg.pq import TransactionStatus

from crm.models import Company, Lead, LeadTag, ListMembership, Workspace
from crm.services.custom_fields import custom_field_define
from crm.services.lists import list_create
from integrations.exports import leads_copy
from integrations.exports.columns import FIXED_COLUMNS, SLOT_COLUMNS, columns_resolve
from integrations.exports.leads_copy import copy_renders
from integrations.exports.leads_csv import leads_csv_chunks, python_csv_chunks
from tests.factories import LeadFactory, TagFactory

ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="compares PostgreSQL's COPY path with the Python path"
)
CUSTOM = ["custom:note", "custom:budget", "custom:start", "custom:flag"]
ALL_COLUMNS = [*FIXED_COLUMNS, *SLOT_COLUMNS, *CUSTOM, "tags", "lists"]


def _export(workspace: Workspace, names: list[str], leads=None, *, python: bool = False) -> str:
    columns = columns_resolve(workspace=workspace, names=names)
    leads = Lead.objects.filter(workspace=workspace) if leads is None else leads
    chunks = python_csv_chunks if python else leads_csv_chunks
    text = "".join(chunks(leads=leads, columns=columns))
    assert text.startswith("\ufeff")
    return text[1:]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _assert_same_as_python(
    workspace: Workspace, names: list[str], leads=None, *, copied: bool = True
) -> str:
    """The export equals the Python path's, byte for byte; ``copied``: COPY wrote it."""
    columns = columns_resolve(workspace=workspace, names=names)
    everyone = Lead.objects.filter(workspace=workspace)
    assert copy_renders(leads=everyone if leads is None else leads, columns=columns) is copied
    exported = _export(workspace, names, leads)
    python = _export(workspace, names, leads, python=True)
    assert _cells(exported) == _cells(python)
    assert exported == python
    return exported


@pytest.fixture
def custom_fields(workspace):
    for key, field_type in [("note", "text"), ("budget", "number"), ("start", "date")]:
        custom_field_define(workspace=workspace, key=key, label=key.title(), field_type=field_type)
    custom_field_define(workspace=workspace, key="flag", label="=Flag")


@pytest.fixture
def tricky(workspace, owner, custom_fields):
    """Leads whose cells exercise every formatting rule, by name."""
    company = Company.objects.create(
        workspace=workspace,
        name='=HYPERLINK("http://x")',
        domain="acme.com",
        address='1, "Main" St',
        city="São Paulo",
        size="-50",
    )
    leads = {
        "formulas": LeadFactory(
            workspace=workspace,
            first_name="=1+2",
            last_name="+33 1 23",
            title="-minus",
            phone="@SUM(A1)",
            address="\tTabbed",
            city="\rReturn",
            region="'quoted already",
            country="=",
            company=company,
            owner=owner,
            do_not_contact=True,
            custom_fields={"note": "-note", "budget": -3, "flag": True},
            slots={"slot1": "@slot", "slot2": "+x", "slot3": "=y"},
        ),
        "punctuation": LeadFactory(
            workspace=workspace,
            first_name='He said "hi"',
            last_name="a,b",
            title="line1\nline2",
            address="a\r\nb",
            postal_code='"',
            city="  padded  ",
            region="back\\slash",
            custom_fields={"note": 'multi\nline, "q"', "budget": 1.5, "flag": False},
            slots={"slot1": "x\r"},
        ),
        "unicode": LeadFactory(
            workspace=workspace,
            first_name="Zoë",
            last_name="Ｌｉ 李",
            title="－ fullwidth minus",
            city="💼",
            country="Ελλάδα",
            custom_fields={"note": "é=", "budget": 0, "start": "2024-02-29"},
            slots={"slot2": "日本"},
        ),
        "empty": LeadFactory(
            workspace=workspace,
            first_name="",
            last_name="",
            email=None,
            title="",
            linkedin_url=None,
            country="",
            custom_fields={"note": None, "budget": "", "start": ""},
            slots={"slot1": ""},
        ),
    }
    Lead.objects.filter(pk=leads["formulas"].pk).update(
        created_at=dt.datetime(
            2024, 3, 5, 7, 7, 8, 999999, tzinfo=dt.timezone(dt.timedelta(hours=1))
        )
    )
    Lead.objects.filter(pk=leads["punctuation"].pk).update(
        created_at=dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    )
    for name in ["zeta", "=alpha", "Mid"]:
        LeadTag.objects.create(
            lead=leads["formulas"], tag=TagFactory(workspace=workspace, name=name)
        )
    for name in ["Gifts", "-Dream 100"]:
        ListMembership.objects.create(
            lead_list=list_create(workspace=workspace, data={"name": name}), lead=leads["formulas"]
        )
    LeadTag.objects.create(lead=leads["empty"], tag=TagFactory(workspace=workspace, name=""))
    return leads


def test_tricky_cells_are_written_as_expected(workspace, tricky):
    names = ["id", "first_name", "title", "city", "company_name", "do_not_contact", "created_at"]
    names += ["owner_email", "slot1", "custom:note", "custom:flag", "tags", "lists"]

    rows = _cells(_export(workspace, names))

    assert rows[0][-4:] == ["Note", "'=Flag", "Tags", "Lists"]
    formulas, punctuation, unicode, empty = rows[1:]
    assert formulas == [
        str(tricky["formulas"].pk),
        "'=1+2",
        "'-minus",
        "'\rReturn",
        '\'=HYPERLINK("http://x")',
        "yes",
        "2024-03-05T06:07:08+00:00",
        "olivia@acme.test",
        "'@slot",
        "'-note",
        "yes",
        "zeta, =alpha, Mid",
        "Gifts, -Dream 100",
    ]
    assert punctuation[1:10] == [
        'He said "hi"',
        "line1\nline2",
        "  padded  ",
        "",
        "no",
        "0999-01-02T03:04:05+00:00",
        "",
        "x\r",
        'multi\nline, "q"',
    ]
    assert punctuation[10] == "no"
    assert unicode[1:4] == ["Zoë", "－ fullwidth minus", "💼"]
    assert empty[1:5] == ["", "", "", ""]
    assert empty[8:] == ["", "", "", "", ""]


def test_rows_end_with_crlf_and_keep_newlines_inside_cells(workspace, tricky):
    text = _export(workspace, ["first_name", "title", "address"])

    assert text.startswith("First name,Title,Address\r\n")
    assert '"He said ""hi""","line1\nline2","a\r\nb"\r\n' in text
    assert text.endswith("\r\n")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (5, "5"),
        (-3, "'-3"),
        (0, "0"),
        (12345678901234567, "12345678901234567"),
        (1.5, "1.5"),
        (-2.5, "'-2.5"),
        (100.0, "100.0"),
        (0.0, "0.0"),
        (0.1, "0.1"),
        (1 / 3, "0.3333333333333333"),
        (123456789012345.6, "123456789012345.6"),
        (1e15, "1000000000000000.0"),
        (1.0000000000000005e15, "1000000000000000.5"),
        (9999999999999998.0, "9999999999999998.0"),
        (1e16, "10000000000000000" if ON_POSTGRES else "1e+16"),
        (1.5e300, "15" + "0" * 299 if ON_POSTGRES else "1.5e+300"),
        (1e-4, "0.0001"),
        (1e-5, "1e-05"),
        (-1.5e-7, "'-1.5e-07"),
        (1e-300, "1e-300"),
        (5e-324, None),
        (True, "yes"),
        (False, "no"),
        (None, ""),
        ("", ""),
        ("=x", "'=x"),
        ("2024-02-29", "2024-02-29"),
        (["a", "b"], "['a', 'b']"),
        ({"a": 1}, "{'a': 1}"),
    ],
)
def test_json_values_are_written_as_python_writes_them(workspace, custom_fields, value, cell):
    """``cell`` None: COPY cannot render it; the export takes the Python path for it.

    jsonb keeps numbers as decimals and Django reads them back from that text, so on PostgreSQL
    1e16 was already written as an integer by the Python path; COPY does the same.
    """
    LeadFactory(workspace=workspace, custom_fields={"budget": value}, slots={"slot3": value})
    expected = cell if cell is not None else str(value)

    rows = _cells(_export(workspace, ["custom:budget", "slot3", "email"]))

    assert rows[1][:2] == [expected, expected]
    if ON_POSTGRES:
        plain = cell is not None and not isinstance(value, list | dict)
        _assert_same_as_python(workspace, ["custom:budget", "slot3", "email"], copied=plain)


def test_a_custom_field_column_holding_no_object_falls_back_to_python(workspace, custom_fields):
    LeadFactory(workspace=workspace, custom_fields={"budget": 5})
    LeadFactory(workspace=workspace, custom_fields=["not", "an", "object"])
    columns = columns_resolve(workspace=workspace, names=["custom:budget"])
    leads = Lead.objects.filter(workspace=workspace, custom_fields__budget=5)

    assert _cells(_export(workspace, ["custom:budget"], leads)) == [["Budget"], ["5"]]
    if ON_POSTGRES:
        everyone = Lead.objects.filter(workspace=workspace)
        assert copy_renders(leads=leads, columns=columns)
        assert not copy_renders(leads=everyone, columns=columns)


@postgres_only
def test_copy_writes_the_bytes_python_writes_for_every_column(workspace, tricky):
    LeadFactory(workspace=workspace)

    text = _assert_same_as_python(workspace, ALL_COLUMNS)

    assert len(_cells(text)) == 6


@postgres_only
@pytest.mark.parametrize("name", ALL_COLUMNS)
def test_copy_writes_each_column_alone_as_python_does(workspace, tricky, name):
    """A lone empty cell is ``""`` (an empty line would be read as no row at all)."""
    _assert_same_as_python(workspace, [name])


def test_an_export_of_no_leads_is_the_header_alone(workspace, custom_fields):
    assert _export(workspace, ["email", "custom:budget"]) == "Email,Budget\r\n"
    if ON_POSTGRES:
        _assert_same_as_python(workspace, ["email", "custom:budget", "tags"])


def test_a_lone_empty_cell_is_quoted(workspace, tricky):
    text = _export(workspace, ["email"])

    assert text.splitlines()[-1] == '""'


@postgres_only
def test_a_lone_backslash_dot_is_quoted_by_copy_only(workspace):
    """PostgreSQL quotes ``\\.`` alone on a line (its end-of-data marker); the cell is the same."""
    LeadFactory(workspace=workspace, title="\\.")

    exported = _export(workspace, ["title"])
    python = _export(workspace, ["title"], python=True)

    assert _cells(exported) == _cells(python) == [["Title"], ["\\."]]
    assert (exported, python) == ('Title\r\n"\\."\r\n', "Title\r\n\\.\r\n")
    _assert_same_as_python(workspace, ["title", "city"])


def test_filters_of_the_queryset_are_kept(workspace, other_workspace, tricky):
    gifts = list_create(workspace=workspace, data={"name": "Gifts 2"})
    kept = LeadFactory(workspace=workspace, email="kept@acme.test", title="50% off 'deal'")
    ListMembership.objects.create(lead_list=gifts, lead=kept)
    LeadFactory(workspace=workspace, email="dropped@acme.test", title="50% off 'deal'")
    LeadFactory(workspace=other_workspace, email="other@globex.test", title="50% off 'deal'")
    leads = Lead.objects.filter(
        workspace=workspace, title__contains="50% off '", memberships__lead_list=gifts
    )

    assert _cells(_export(workspace, ["email", "title"], leads)) == [
        ["Email", "Title"],
        ["kept@acme.test", "50% off 'deal'"],
    ]
    if ON_POSTGRES:
        _assert_same_as_python(workspace, ["email", "title", "custom:note"], leads)


def test_rows_come_in_id_order_across_chunks(workspace, monkeypatch):
    monkeypatch.setattr(leads_copy, "ROWS_PER_CHUNK", 2)
    made = [LeadFactory(workspace=workspace) for _ in range(5)]
    Lead.objects.filter(pk=made[0].pk).update(title="last updated")

    rows = _cells(_export(workspace, ["id", "email"]))

    assert [row[0] for row in rows[1:]] == [str(lead.pk) for lead in made]
    if ON_POSTGRES:
        _assert_same_as_python(workspace, ["id", "email", "tags"])


def test_stopping_a_download_early_leaves_the_transaction_usable(workspace):
    """Big enough that the server is still sending when the consumer stops (COPY is cancelled)."""
    Lead.objects.bulk_create(
        Lead(workspace=workspace, email=f"bulk{i}@acme.test", title="x" * 190) for i in range(20000)
    )
    columns = columns_resolve(workspace=workspace, names=["email", "title", "address"])
    chunks = leads_csv_chunks(leads=Lead.objects.filter(workspace=workspace), columns=columns)

    next(chunks)
    next(chunks)
    if ON_POSTGRES:
        status = connection.connection.pgconn.transaction_status
        assert status == TransactionStatus.ACTIVE, "the COPY should still be running"
    chunks.close()

    assert Lead.objects.filter(workspace=workspace).count() == 20000
