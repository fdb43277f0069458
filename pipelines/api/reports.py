"""/reports/… and /pipeline-settings: the numbers behind the charts, and the rule switches."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from crm.errors import ValidationFailed
from pipelines.permissions import require_admin
from pipelines.schemas import RangeQuery, SettingsOut, SettingsPatch
from pipelines.selectors.board import pipeline_get
from pipelines.selectors.dashboard import day_of_work
from pipelines.selectors.reports import (
    report_catch_ups_due,
    report_conversion,
    report_pipeline_value,
    report_referrals,
    report_time_in_stage,
)
from pipelines.services import (
    pipeline_create_default,
    pipeline_settings_get,
    pipeline_settings_update,
)

router = Router(tags=["pipeline reports"])
DEFAULT_RANGE = dt.timedelta(days=90)


class StageValueOut(Schema):
    stage_id: int
    stage: str
    kind: str
    count: int
    totals: dict[str, dict[str, int]]


class ConversionOut(Schema):
    from_stage_id: int
    from_stage: str
    to_stage_id: int
    to_stage: str
    entered: int = Field(..., description="Times leads entered the first stage in the range.")
    advanced: int = Field(..., description="Of those, left it forward (next stage or beyond).")
    rate: float | None


class TimeInStageOut(Schema):
    stage_id: int
    stage: str
    moves_out: int
    median_seconds: float | None


class ReferralCountOut(Schema):
    lead_id: int
    name: str
    referrals: int


class CatchUpOut(Schema):
    entry_id: int
    lead_id: int
    name: str
    stage: str
    catch_up_count: int
    last_conversation_at: dt.datetime | None
    owner_id: int | None


class CatchUpsOut(Schema):
    count: int
    days: int
    items: list[CatchUpOut]


class TodayOut(Schema):
    tasks_due: int
    catch_ups_due: int
    referral_asks_pending: int
    moved_today: int


def _pipeline(request: ApiRequest, query: RangeQuery):  # type: ignore[no-untyped-def]
    ws = request.workspace
    if query.pipeline_id:
        return pipeline_get(workspace=ws, pipeline_id=query.pipeline_id)
    return pipeline_create_default(workspace=ws)


def _range(query: RangeQuery) -> tuple[dt.datetime, dt.datetime]:
    until = query.until or timezone.now()
    since = query.since or until - DEFAULT_RANGE
    if timezone.is_naive(since) or timezone.is_naive(until):
        raise ValidationFailed.field("since", "Give times with a UTC offset, e.g. …T00:00:00Z.")
    if since >= until:
        raise ValidationFailed.field("since", "`since` must be before `until`.")
    return since, until


@router.get(
    "/reports/pipeline-value",
    response={200: list[StageValueOut], **errors(404, 422)},
    summary="Pipeline value by stage (count, total, weighted)",
)
def value(request: ApiRequest, query: Query[RangeQuery]):  # type: ignore[type-arg]
    return report_pipeline_value(pipeline=_pipeline(request, query))


@router.get(
    "/reports/conversion",
    response={200: list[ConversionOut], **errors(404, 422)},
    summary="Conversion between consecutive stages",
    description="Of the times leads entered a stage in [since, until), how many left it "
    "forward (to the next stage or beyond; Lost is not forward).",
)
def conversion(request: ApiRequest, query: Query[RangeQuery]):  # type: ignore[type-arg]
    since, until = _range(query)
    return report_conversion(pipeline=_pipeline(request, query), since=since, until=until)


@router.get(
    "/reports/time-in-stage",
    response={200: list[TimeInStageOut], **errors(404, 422)},
    summary="Median time in each stage",
    description="Over the moves out of each stage during [since, until).",
)
def time_in_stage(request: ApiRequest, query: Query[RangeQuery]):  # type: ignore[type-arg]
    since, until = _range(query)
    return report_time_in_stage(pipeline=_pipeline(request, query), since=since, until=until)


@router.get(
    "/reports/referrals",
    response={200: list[ReferralCountOut], **errors(422)},
    summary="Referrals made per customer",
)
def referrals(request: ApiRequest, query: Query[RangeQuery]):  # type: ignore[type-arg]
    return report_referrals(
        workspace=request.workspace,
        since=query.since,
        until=query.until,  # type: ignore[attr-defined]
    )


@router.get(
    "/reports/catch-ups-due",
    response={200: CatchUpsOut, **errors()},
    summary="Customers due a catch-up conversation",
)
def catch_ups(request: ApiRequest, limit: int = Query(100, ge=1, le=500)):  # type: ignore[type-arg]
    ws = request.workspace
    days = pipeline_settings_get(workspace=ws).catch_up_after_days
    count, entries = report_catch_ups_due(workspace=ws, now=timezone.now(), days=days, limit=limit)
    items = [
        {
            "entry_id": e.pk,
            "lead_id": e.lead_id,
            "name": str(e.lead),
            "stage": e.stage.name,
            "catch_up_count": e.catch_up_count,
            "last_conversation_at": e.last_conversation_at,
            "owner_id": e.owner_id,
        }
        for e in entries
    ]
    return {"count": count, "days": days, "items": items}


@router.get(
    "/reports/today",
    response={200: TodayOut, **errors()},
    summary="The pipeline side of today's work, in numbers",
)
def today(request: ApiRequest):
    ws = request.workspace
    day = day_of_work(
        workspace=ws, days=pipeline_settings_get(workspace=ws).catch_up_after_days, limit=1000
    )
    return {
        "tasks_due": len(day.tasks_due),
        "catch_ups_due": day.catch_ups_due_count,
        "referral_asks_pending": len(day.referral_asks),
        "moved_today": day.moved_today_count,
    }


@router.get(
    "/pipeline-settings",
    response={200: SettingsOut, **errors()},
    summary="Stage rule switches and catch-up interval",
)
def settings_get(request: ApiRequest):
    return pipeline_settings_get(workspace=request.workspace)


@router.patch(
    "/pipeline-settings",
    response={200: SettingsOut, **errors(403, 422)},
    summary="Switch stage rules on or off",
    description="Owners and admins only.",
)
def settings_patch(request: ApiRequest, payload: SettingsPatch):
    require_admin(workspace=request.workspace, user=request.user)
    data = payload.dict(exclude_unset=True)
    return pipeline_settings_update(workspace=request.workspace, data=data)
