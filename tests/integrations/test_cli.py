"""manage.py import_leads: presets, options, and the --json summary line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from crm.models import Activity, Lead
from tests.integrations.conftest import SAMPLES


def test_it_imports_a_file_and_ends_with_a_json_summary(workspace, tmp_path):
    source = tmp_path / "apollo.csv"
    source.write_bytes((SAMPLES / "apollo.csv").read_bytes())
    out = io.StringIO()

    call_command(
        "import_leads",
        str(source),
        "--workspace",
        "acme",
        "--preset",
        "apollo",
        "--list",
        "Apollo",
        "--tag",
        "q3",
        "--on-duplicate",
        "fill",
        "--json",
        stdout=out,
    )

    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary == {
        "created": 3,
        "updated": 0,
        "duplicates": 0,
        "failed": 1,
        "errors_file": str(tmp_path / "apollo.errors.csv"),
    }
    assert "not-an-email" in (tmp_path / "apollo.errors.csv").read_text(encoding="utf-8-sig")
    lead = Lead.objects.get(workspace=workspace, email="jane.doe@acme.com")
    assert [lst.name for lst in lead.lists.all()] == ["Apollo"]
    imported = Activity.objects.get(lead=lead, kind="imported")
    assert (imported.actor_type, imported.payload["actor_name"]) == ("integration", "import_leads")


def test_it_refuses_an_unknown_workspace(db, tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("Email\na@acme.com\n")

    with pytest.raises(CommandError, match="No workspace"):
        call_command("import_leads", str(source), "--workspace", "nope")
