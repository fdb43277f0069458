"""Reports against a small history with known answers."""

import datetime as dt

import pytest
import time_machine

from crm.services.leads import lead_update
from pipelines.models import PipelineEntry
from pipelines.selectors.reports import (
    report_catch_ups_due,
    report_conversion,
    report_pipeline_value,
    report_referrals,
    report_time_in_stage,
)
from pipelines.services import entries_place_new_leads, entry_move, entry_update
from tests.factories import LeadFactory

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
DAY = 86_400


@pytest.fixture
def history(workspace, pipeline, stages, actor):
    """A, B, C, D enter Cold at T0. A: Engaged +1d, Warm +3d, Customer +10d.
    B: Engaged +2d, Lost +5d. C: straight to Warm +4d. D stays Cold."""
    leads = LeadFactory.create_batch(4, workspace=workspace)
    with time_machine.travel(T0, tick=False):
        entries_place_new_leads(workspace=workspace, lead_ids=[x.pk for x in leads], actor=actor)
    a, b, c, _ = (PipelineEntry.objects.get(lead=x) for x in leads)
    plan = [
        (1, a, "Cold", "Engaged"),
        (2, b, "Cold", "Engaged"),
        (3, a, "Engaged", "Warm"),
        (4, c, "Cold", "Warm"),
        (5, b, "Engaged", "Lost"),
        (10, a, "Warm", "Customer"),
    ]
    for days, entry, src, dst in plan:
        with time_machine.travel(T0 + dt.timedelta(days=days), tick=False):
            entry_move(
                entry=PipelineEntry.objects.select_related("lead").get(pk=entry.pk),
                to_stage=stages[dst],
                expected_from_stage=stages[src],
                actor=actor,
            )
    return leads


def _rates(rows):
    return {(r.from_stage, r.to_stage): (r.entered, r.advanced, r.rate) for r in rows}


def test_conversion_between_consecutive_stages(history, pipeline):
    rows = report_conversion(pipeline=pipeline, since=T0, until=T0 + dt.timedelta(days=30))
    rates = _rates(rows)
    assert rates[("Cold", "Engaged")] == (4, 3, 0.75)  # C skipped ahead: still a conversion
    assert rates[("Engaged", "Warm")] == (2, 1, 0.5)  # B was lost
    assert rates[("Warm", "Customer")] == (2, 1, 0.5)
    assert rates[("Customer", "Catch-up 1")] == (1, 0, 0.0)
    assert ("Catch-up 4", "Lost") not in rates


def test_conversion_only_counts_entries_in_the_range(history, pipeline):
    rows = report_conversion(
        pipeline=pipeline, since=T0 + dt.timedelta(hours=36), until=T0 + dt.timedelta(days=30)
    )
    rates = _rates(rows)
    assert rates[("Cold", "Engaged")] == (0, 0, None)
    assert rates[("Engaged", "Warm")] == (1, 0, 0.0)  # only B entered Engaged after 36 h


def test_median_time_in_stage(history, pipeline):
    rows = {
        r.stage: r
        for r in report_time_in_stage(pipeline=pipeline, since=T0, until=T0 + dt.timedelta(days=30))
    }
    assert (rows["Cold"].moves_out, rows["Cold"].median_seconds) == (3, 2 * DAY)
    assert rows["Engaged"].median_seconds == 2.5 * DAY
    assert rows["Warm"].median_seconds == 7 * DAY
    assert rows["Customer"].median_seconds is None


def test_pipeline_value_by_stage(history, pipeline):
    entry = PipelineEntry.objects.get(lead=history[0])
    entry_update(entry=entry, data={"value_minor": 5_000_00, "currency": "EUR"})
    rows = {r.stage: r for r in report_pipeline_value(pipeline=pipeline)}
    assert rows["Customer"].count == 1
    assert rows["Customer"].totals == {"EUR": {"total": 500000, "weighted": 500000}}
    assert rows["Cold"].count == 1 and rows["Lost"].count == 1


def test_referrals_per_customer(workspace, actor):
    ann, bob = LeadFactory.create_batch(2, workspace=workspace)
    for referrer, n in ((ann, 2), (bob, 1)):
        for lead in LeadFactory.create_batch(n, workspace=workspace):
            lead_update(lead=lead, actor=actor, data={"referred_by_id": referrer.pk})
    assert [(r["lead_id"], r["referrals"]) for r in report_referrals(workspace=workspace)] == [
        (ann.pk, 2),
        (bob.pk, 1),
    ]


def test_catch_ups_due(history, workspace):
    count, rows = report_catch_ups_due(workspace=workspace, now=T0 + dt.timedelta(days=41), days=30)
    assert count == 1 and rows[0].lead == history[0]
    count, _ = report_catch_ups_due(workspace=workspace, now=T0 + dt.timedelta(days=39), days=30)
    assert count == 0


def test_reports_take_a_fixed_number_of_queries(
    history, workspace, pipeline, django_assert_max_num_queries
):
    until = T0 + dt.timedelta(days=30)
    with django_assert_max_num_queries(2):
        report_conversion(pipeline=pipeline, since=T0, until=until)
    with django_assert_max_num_queries(2):
        report_time_in_stage(pipeline=pipeline, since=T0, until=until)
    with django_assert_max_num_queries(2):
        report_pipeline_value(pipeline=pipeline)
    with django_assert_max_num_queries(2):
        report_referrals(workspace=workspace)
    with django_assert_max_num_queries(2):
        report_catch_ups_due(workspace=workspace, now=until, days=30)
