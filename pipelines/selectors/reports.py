"""Reports computed in the database: pipeline value, conversion, time in stage, referrals.

Each report is a fixed number of aggregate queries, whatever the number of entries or changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q

from crm.models import Lead, Workspace
from pipelines.models import Pipeline, StageChange, StageKind
from pipelines.selectors.board import board_columns, stages_of
from pipelines.selectors.catch_up import catch_ups_due


class Median(Aggregate):
    """PostgreSQL's ordered-set median (SQLite has none: computed in Python there)."""

    function = None
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class StageValue:
    stage_id: int
    stage: str
    kind: str
    count: int
    totals: dict[str, dict[str, int]]


@dataclass
class Conversion:
    from_stage_id: int
    from_stage: str
    to_stage_id: int
    to_stage: str
    entered: int
    advanced: int

    @property
    def rate(self) -> float | None:
        return round(self.advanced / self.entered, 4) if self.entered else None


@dataclass
class TimeInStage:
    stage_id: int
    stage: str
    moves_out: int
    median_seconds: float | None


def report_pipeline_value(*, pipeline: Pipeline) -> list[StageValue]:
    """Count, total and weighted value per stage (per currency: amounts are never converted)."""
    return [
        StageValue(
            stage_id=c.stage.pk,
            stage=c.stage.name,
            kind=c.stage.kind,
            count=c.count,
            totals={cur: {"total": t, "weighted": w} for cur, (t, w) in c.totals.items()},
        )
        for c in board_columns(pipeline=pipeline)
    ]


def report_conversion(
    *, pipeline: Pipeline, since: dt.datetime, until: dt.datetime
) -> list[Conversion]:
    """For each stage and the next: of the times leads entered the first during [since, until),
    how many left it forward, to the next stage or one beyond (skipping ahead counts: a reply
    takes a Cold lead straight to Warm). Moving to Lost or back is not converting.

    One aggregate over the history's covering index: each change row already knows how the
    lead left that stage (``left_forward``, set by the next move).
    """
    rows = (
        StageChange.objects.filter(
            pipeline=pipeline, created_at__gte=since, created_at__lt=until, to_stage__isnull=False
        )
        .values("to_stage_id")
        # Counting an indexed column (not id) keeps this an index-only scan on PostgreSQL.
        .annotate(
            entered=Count("to_stage_id"),
            advanced=Count("to_stage_id", filter=Q(left_forward=True)),
        )
        .order_by()
    )
    by_stage: dict[int, dict[str, int]] = {
        r["to_stage_id"]: {"entered": r["entered"], "advanced": r["advanced"]} for r in rows
    }
    steps = [s for s in stages_of(pipeline=pipeline) if s.kind != StageKind.LOST]
    return [
        Conversion(
            from_stage_id=a.pk,
            from_stage=a.name,
            to_stage_id=b.pk,
            to_stage=b.name,
            entered=by_stage.get(a.pk, {}).get("entered", 0),
            advanced=by_stage.get(a.pk, {}).get("advanced", 0),
        )
        for a, b in itertools.pairwise(steps)
    ]


def report_time_in_stage(
    *, pipeline: Pipeline, since: dt.datetime, until: dt.datetime
) -> list[TimeInStage]:
    """Median time leads spent in each stage, over the moves out of it during [since, until)."""
    moves = StageChange.objects.filter(
        pipeline=pipeline,
        created_at__gte=since,
        created_at__lt=until,
        from_stage__isnull=False,
        seconds_in_from_stage__isnull=False,
    )
    medians: dict[int, tuple[int, float | None]] = {}
    if connection.vendor == "postgresql":
        for row in (
            moves.values("from_stage_id")
            .annotate(n=Count("seconds_in_from_stage"), median=Median("seconds_in_from_stage"))
            .order_by()
        ):
            medians[row["from_stage_id"]] = (row["n"], row["median"])
    else:
        grouped: dict[int, list[int]] = {}
        for stage_id, seconds in moves.values_list("from_stage_id", "seconds_in_from_stage"):
            grouped.setdefault(stage_id, []).append(seconds or 0)
        for stage_id, values in grouped.items():
            medians[stage_id] = (len(values), float(statistics.median(values)))
    return [
        TimeInStage(
            stage_id=s.pk,
            stage=s.name,
            moves_out=medians.get(s.pk, (0, None))[0],
            median_seconds=medians.get(s.pk, (0, None))[1],
        )
        for s in stages_of(pipeline=pipeline)
    ]


def report_referrals(
    *,
    workspace: Workspace,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 20,
) -> list[dict]:
    """Customers by number of people they referred (in the range when given), most first."""
    referred = Lead.objects.filter(workspace=workspace, referred_by__isnull=False)
    if since:
        referred = referred.filter(created_at__gte=since)
    if until:
        referred = referred.filter(created_at__lt=until)
    counts = list(
        referred.values("referred_by_id")
        .annotate(n=Count("id"))
        .order_by("-n", "referred_by_id")[:limit]
    )
    customers = Lead.objects.in_bulk([c["referred_by_id"] for c in counts])
    return [
        {
            "lead_id": c["referred_by_id"],
            "name": str(customers[c["referred_by_id"]]),
            "referrals": c["n"],
        }
        for c in counts
        if c["referred_by_id"] in customers
    ]


def report_catch_ups_due(
    *, workspace: Workspace, now: dt.datetime, days: int, limit: int = 100
) -> tuple[int, list]:
    """How many customers are due a catch-up, and the longest-waiting ``limit`` of them."""
    due = catch_ups_due(workspace=workspace, now=now, days=days)
    return due.count(), list(due.select_related("lead", "stage", "owner")[:limit])
