"""The reports page: charts drawn in the browser from numbers computed in the database."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from crm.web.access import workspace_view
from pipelines.money import to_major
from pipelines.selectors.board import pipeline_get, pipelines_of
from pipelines.selectors.reports import (
    report_catch_ups_due,
    report_conversion,
    report_pipeline_value,
    report_referrals,
    report_time_in_stage,
)
from pipelines.services import pipeline_create_default, pipeline_settings_get
from pipelines.views.common import _int

DEFAULT_DAYS = 90


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


@workspace_view
def reports(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    pipeline_id = _int(request.GET.get("pipeline"))
    pipeline = (
        pipeline_get(workspace=workspace, pipeline_id=pipeline_id)
        if pipeline_id
        else pipeline_create_default(workspace=workspace)
    )
    today = timezone.localdate()
    until_day = _date(request.GET.get("until")) or today
    since_day = _date(request.GET.get("since")) or until_day - dt.timedelta(days=DEFAULT_DAYS)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(since_day, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(until_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    value = report_pipeline_value(pipeline=pipeline)
    conversion = report_conversion(pipeline=pipeline, since=since, until=until)
    time_in_stage = report_time_in_stage(pipeline=pipeline, since=since, until=until)
    referrals = report_referrals(workspace=workspace, since=since, until=until)
    days = pipeline_settings_get(workspace=workspace).catch_up_after_days
    due_count, due = report_catch_ups_due(
        workspace=workspace, now=timezone.now(), days=days, limit=50
    )
    currencies = sorted({cur for row in value for cur in row.totals})
    currency = (
        currencies[0] if currencies else pipeline_settings_get(workspace=workspace).default_currency
    )
    charts = {
        "currency": currency,
        "value": {
            "labels": [r.stage for r in value],
            "total": [
                to_major(r.totals.get(currency, {}).get("total", 0), currency) for r in value
            ],
            "weighted": [
                to_major(r.totals.get(currency, {}).get("weighted", 0), currency) for r in value
            ],
        },
        "conversion": {
            "labels": [f"{c.from_stage} → {c.to_stage}" for c in conversion],
            "rate": [round((c.rate or 0) * 100, 1) for c in conversion],
        },
        "time": {
            "labels": [t.stage for t in time_in_stage],
            "days": [round((t.median_seconds or 0) / 86_400, 2) for t in time_in_stage],
        },
        "referrals": {
            "labels": [r["name"] for r in referrals],
            "count": [r["referrals"] for r in referrals],
        },
    }
    return render(
        request,
        "pipelines/reports.html",
        {
            "pipeline": pipeline,
            "pipelines": list(pipelines_of(workspace=workspace)),
            "since": since_day,
            "until": until_day,
            "value": value,
            "currencies": currencies,
            "conversion": conversion,
            "time_in_stage": time_in_stage,
            "referrals": referrals,
            "due_count": due_count,
            "due": due,
            "days": days,
            "charts": charts,
        },
    )
