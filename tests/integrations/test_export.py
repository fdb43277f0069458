"""CSV export: chosen columns, filters, Excel-friendly encoding, formula neutralization."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command

from crm.models import Company, LeadTag, ListMembership
from crm.services.custom_fields import custom_field_define
from crm.services.lists import list_create
from integrations.exports.leads_csv import neutralize
from tests.factories import LeadFactory, TagFactory


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_it_neutralizes_formula_like_cells():
    assert [
        neutralize(v)
        for v in ['=HYPERLINK("x")', "+1 415", "-2", "@SUM(A1)", "\tx", "\rx", "plain", None, 3]
    ] == ['\'=HYPERLINK("x")', "'+1 415", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "plain", "", "3"]


def test_it_exports_chosen_columns_with_company_and_address(api, workspace):
    company = Company.objects.create(
        workspace=workspace, name="Acme", domain="acme.com", address="1 Main St", city="Paris"
    )
    LeadFactory(
        workspace=workspace,
        email="ann@acme.com",
        first_name="=cmd|' /C calc'!A0",
        company=company,
        address="12 rue de la Paix",
        postal_code="75002",
        slots={"slot1": "Hi"},
    )

    response = api.get(
        "/api/v1/exports/leads.csv",
        {"columns": "email,first_name,company_name,company_address,address,postal_code,slot1"},
    )

    assert response.status_code == 200
    assert _rows(response) == [
        ["Email", "First name", "Company", "Company address", "Address", "Postal code", "Slot 1"],
        [
            "ann@acme.com",
            "'=cmd|' /C calc'!A0",
            "Acme",
            "1 Main St",
            "12 rue de la Paix",
            "75002",
            "Hi",
        ],
    ]


def test_it_exports_one_list_with_tags_and_custom_fields(api, workspace, actor):
    custom_field_define(workspace=workspace, key="budget", label="Budget", field_type="number")
    gifts = list_create(workspace=workspace, data={"name": "Gifts"})
    tag = TagFactory(workspace=workspace, name="vip")
    inside = LeadFactory(workspace=workspace, email="in@acme.com", custom_fields={"budget": 5})
    LeadFactory(workspace=workspace, email="out@acme.com")
    ListMembership.objects.create(lead_list=gifts, lead=inside)
    LeadTag.objects.create(lead=inside, tag=tag)

    response = api.get(
        "/api/v1/exports/leads.csv",
        {"list_id": gifts.pk, "columns": "email,tags,lists,custom:budget"},
    )

    assert _rows(response) == [
        ["Email", "Tags", "Lists", "Budget"],
        ["in@acme.com", "vip", "Gifts", "5"],
    ]


def test_unknown_columns_are_refused(api):
    response = api.get("/api/v1/exports/leads.csv", {"columns": "email,password"})

    assert response.status_code == 422
    assert "password" in response.json()["errors"]["columns"][0]


def test_the_cli_exports_a_list_to_a_file(workspace, tmp_path):
    gifts = list_create(workspace=workspace, data={"name": "Gifts"})
    for i in range(3):
        lead = LeadFactory(workspace=workspace, email=f"c{i}@acme.com")
        ListMembership.objects.create(lead_list=gifts, lead=lead)
    LeadFactory(workspace=workspace, email="other@acme.com")
    out = tmp_path / "gifts.csv"

    call_command(
        "export_leads",
        "--workspace",
        "acme",
        "--list",
        "gifts",
        "--columns",
        "email,address",
        "--output",
        str(out),
    )

    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows == [
        ["Email", "Address"],
        ["c0@acme.com", ""],
        ["c1@acme.com", ""],
        ["c2@acme.com", ""],
    ]


def test_the_leads_table_exports_exactly_what_it_shows(web, workspace):
    LeadFactory(workspace=workspace, email="ana@acme.example", country="Spain")
    LeadFactory(workspace=workspace, email="bo@acme.example", country="Sweden")
    table = web.get("/w/acme/leads/", {"country": "Spain"}).content.decode()
    assert 'href="/w/acme/exports/leads/?country=Spain"' in table

    form = web.get("/w/acme/exports/leads/", {"country": "Spain"}).content.decode()
    assert 'name="country" value="Spain"' in form
    assert "<strong>1</strong> lead matches" in form

    response = web.get(
        "/w/acme/exports/leads/", {"country": "Spain", "download": "1", "columns": ["email"]}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == ["Email", "ana@acme.example"]
