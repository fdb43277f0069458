"""Dates and times the API reads are ones PostgreSQL and Python can store and compute with:
anything else is a 422 with a message, on every field and on both databases."""

from __future__ import annotations

import pytest

from crm.models import Task
from tests.crm.api.calls import get, patch, post

FAR_OFFSETS = [
    "2026-01-01T00:00:00+16:00",
    "2026-01-01T00:00:00-18:30",
    "2026-01-01T00:00:00+23:59",
]
FAR_YEARS = ["0001-01-01T00:00:00Z", "0001-01-02T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]


@pytest.mark.parametrize("value", FAR_OFFSETS + FAR_YEARS)
@pytest.mark.parametrize("name", ["created_after", "created_before"])
def test_a_lead_filter_time_outside_what_can_be_stored_is_a_422(api, name, value):
    for path in ("/leads", "/leads/count"):
        response = get(api, path, {name: value})

        assert response.status_code == 422, path
        assert name in response.json()["errors"]


@pytest.mark.parametrize("value", [*FAR_OFFSETS, *FAR_YEARS, "0001-01-01T00:00:00"])
@pytest.mark.parametrize("name", ["since", "until"])
@pytest.mark.parametrize("report", ["conversion", "time-in-stage", "pipeline-value"])
def test_a_report_range_outside_what_can_be_computed_is_a_422(api, report, name, value):
    response = get(api, f"/reports/{report}", {name: value})

    assert response.status_code == 422
    assert name in response.json()["errors"]


@pytest.mark.parametrize("value", [*FAR_OFFSETS, *FAR_YEARS, "9999-12-31", "0001-01-01"])
def test_a_task_due_time_outside_what_can_be_stored_is_a_422(api, value):
    response = post(api, "/tasks", {"title": "Call back", "due_at": value})

    assert response.status_code == 422
    assert "due_at" in response.json()["errors"]
    assert not Task.objects.exists()


def test_a_task_due_time_within_the_range_is_kept(api):
    created = post(api, "/tasks", {"title": "Call back", "due_at": "2026-03-01T10:00:00+14:00"})
    assert created.status_code == 201

    moved = patch(api, f"/tasks/{created.json()['id']}", {"due_at": "2999-12-31"})

    assert moved.status_code == 200


def test_the_leads_page_refuses_a_filter_date_it_cannot_compute_with(web, workspace):
    response = web.get(f"/w/{workspace.slug}/leads/", {"created_before": "9999-12-31"})

    assert response.status_code == 200
