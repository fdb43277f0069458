import json

import pytest
from django.core.management import CommandError, call_command

from pipelines.models import Pipeline, PipelineEntry
from tests.factories import LeadFactory


def test_pipeline_defaults_places_existing_leads(workspace, capsys):
    LeadFactory.create_batch(3, workspace=workspace)
    call_command("pipeline_defaults", "--place-leads")
    assert "acme: Sales, 3 leads placed" in capsys.readouterr().out
    assert Pipeline.objects.filter(workspace=workspace, is_default=True).count() == 1
    assert PipelineEntry.objects.count() == 3


def test_pipeline_move_refuses_a_stale_from(entry, capsys):
    call_command(
        "pipeline_move",
        "--workspace",
        "acme",
        "--lead",
        entry.lead.email,
        "--to",
        "warm",
        "--from",
        "Cold",
    )
    entry.refresh_from_db()
    assert entry.stage.name == "Warm"
    with pytest.raises(CommandError, match="Someone else moved"):
        call_command(
            "pipeline_move",
            "--workspace",
            "acme",
            "--lead",
            str(entry.lead_id),
            "--to",
            "Lost",
            "--from",
            "Cold",
        )


def test_pipeline_report_prints_json(entry, capsys):
    call_command("pipeline_report", "value", "--workspace", "acme")
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["stage"] == "Cold" and rows[0]["count"] == 1
