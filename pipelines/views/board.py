"""The board: columns with totals, cards loaded a page at a time, moves, a deal's quick view."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.errors import Conflict, DomainError
from crm.web.access import workspace_view
from crm.web.responses import redirect_back
from pipelines.money import to_minor
from pipelines.selectors.board import (
    board_columns,
    column_page,
    entry_get,
    entry_history,
    pipeline_get,
    pipelines_of,
    stage_get,
)
from pipelines.services import (
    entry_move,
    entry_update,
    pipeline_create_default,
    pipeline_settings_get,
)
from pipelines.views.common import actor_of, column_totals_json, filter_choices, filters_from

CARDS_PER_PAGE = 20


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _query_without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()


@workspace_view
def board(request: HttpRequest, pipeline_id: int | None = None) -> HttpResponse:
    """The kanban of a pipeline (the default one at /pipeline/)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    if pipeline_id is None:
        pipeline = pipeline_create_default(workspace=workspace)
    else:
        pipeline = pipeline_get(workspace=workspace, pipeline_id=pipeline_id)
    filters = filters_from(request)
    columns = board_columns(pipeline=pipeline, filters=filters)
    for column in columns:
        column.page = column_page(stage=column.stage, filters=filters, limit=CARDS_PER_PAGE)  # type: ignore[attr-defined]
    return render(
        request,
        "pipelines/board.html",
        {
            "pipeline": pipeline,
            "pipelines": list(pipelines_of(workspace=workspace)),
            "columns": columns,
            "filters": filters,
            "query": _query_without_cursor(request),
            **filter_choices(workspace),
        },
    )


@workspace_view
def column_cards(request: HttpRequest, stage_id: int) -> HttpResponse:
    """The next page of one column (the "Show more" button swaps itself for it)."""
    stage = stage_get(workspace=request.workspace, stage_id=stage_id)  # type: ignore[attr-defined]
    try:
        page = column_page(
            stage=stage,
            filters=filters_from(request),
            cursor=request.GET.get("cursor"),
            limit=CARDS_PER_PAGE,
        )
    except DomainError:
        return HttpResponse(status=400)
    return render(
        request,
        "pipelines/_cards.html",
        {
            "stage": stage,
            "page": page,
            "query": _query_without_cursor(request),
        },
    )


@workspace_view
@require_POST
def move(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Move a card. The script posts with Accept: JSON; without script the form posts here too."""
    workspace = request.workspace  # type: ignore[attr-defined]
    entry = entry_get(workspace=workspace, entry_id=entry_id)
    board_url = reverse(
        "pipelines:board_of", kwargs={"ws": workspace.slug, "pipeline_id": entry.pipeline_id}
    )
    try:
        to_stage = stage_get(workspace=workspace, stage_id=int(request.POST["to_stage_id"]))
        expected = stage_get(
            workspace=workspace, stage_id=int(request.POST["expected_from_stage_id"])
        )
        entry_move(
            entry=entry,
            to_stage=to_stage,
            expected_from_stage=expected,
            actor=actor_of(request),
            reason=request.POST.get("reason", "")[:300],
        )
    except (KeyError, ValueError):
        return JsonResponse({"detail": "Choose a stage."}, status=400)
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else exc.status
        if _wants_json(request):
            return JsonResponse({"detail": exc.message}, status=status)
        messages.error(request, exc.message)
        return redirect_back(request, board_url)
    if _wants_json(request):
        filters = filters_from(request)
        return JsonResponse(
            {
                "entry_id": entry.pk,
                "stage_id": to_stage.pk,
                "columns": column_totals_json(
                    board_columns(pipeline=entry.pipeline, filters=filters)
                ),
            }
        )
    messages.success(request, f"{entry.lead} moved to {to_stage}.")
    return redirect_back(request, board_url)


@workspace_view
def entry_quick_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A deal at a glance: the lead, its value, its moves."""
    entry = entry_get(workspace=request.workspace, entry_id=entry_id)  # type: ignore[attr-defined]
    return render(
        request,
        "pipelines/_quick_view.html",
        {
            "entry": entry,
            "history": entry_history(entry=entry, limit=15),
            "default_currency": pipeline_settings_get(workspace=entry.workspace).default_currency,
            "stages": list(entry.pipeline.stages.all()),
        },
    )


@workspace_view
@require_POST
def deal_update(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Set the deal value (typed in major units: 1,250.50) and its currency."""
    workspace = request.workspace  # type: ignore[attr-defined]
    entry = entry_get(workspace=workspace, entry_id=entry_id)
    currency = (request.POST.get("currency") or entry.currency).strip().upper()
    data: dict = {"currency": currency}
    try:
        data["value_minor"] = to_minor(request.POST.get("value", ""), currency)
    except ValueError:
        messages.error(request, "Type the deal value as an amount, e.g. 1250.50.")
        return redirect_back(request, reverse("pipelines:board", kwargs={"ws": workspace.slug}))
    probability = (request.POST.get("probability") or "").strip()
    data["probability"] = int(probability) if probability.isdigit() else None
    try:
        entry_update(entry=entry, data=data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Deal value of {entry.lead} saved.")
    return redirect_back(request, reverse("pipelines:board", kwargs={"ws": workspace.slug}))
