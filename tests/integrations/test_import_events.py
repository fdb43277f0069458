"""An import records its new leads as one event per chunk; placement reacts to it."""

from __future__ import annotations

from crm.models import Event, Lead
from pipelines.models import PipelineEntry, StageChange


def _stage_kind(lead: Lead) -> str:
    return PipelineEntry.objects.select_related("stage").get(lead=lead).stage.kind


def test_imported_leads_are_placed_by_one_event_per_chunk(run_import, workspace):
    rows = "\n".join(f"p{i}@example.com,P{i}" for i in range(7))
    job = run_import(f"Email,First Name\n{rows}\n".encode())
    assert job.created == 7
    events = Event.objects.filter(type="lead.created", origin="import")
    assert sum(len(e.subject_ids) for e in events) == 7
    assert events.count() == 1
    assert PipelineEntry.objects.filter(lead__workspace=workspace).count() == 7
    assert StageChange.objects.filter(entry__lead__workspace=workspace).count() == 7
    finished = Event.objects.get(type="import.finished")
    assert finished.payload["import"]["created"] == 7


def test_an_import_into_a_chosen_stage_places_there(run_import, workspace):
    job = run_import(b"Email\nwarm@example.com\n", stage="warm")
    assert job.created == 1
    assert _stage_kind(Lead.objects.get(email="warm@example.com")) == "warm"
