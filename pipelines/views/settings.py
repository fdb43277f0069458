"""Pipeline settings: stage rules on/off, catch-up interval, stages (rename, order, add, remove)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.models import Role
from crm.web.access import workspace_view
from pipelines.models import StageKind
from pipelines.permissions import require_admin
from pipelines.selectors.board import pipeline_get, pipelines_of, stage_get
from pipelines.services import (
    pipeline_create,
    pipeline_create_default,
    pipeline_settings_get,
    pipeline_settings_update,
    stage_create,
    stage_delete,
    stage_update,
    stages_reorder,
)
from pipelines.services.settings import SWITCHES
from pipelines.views.common import _int, actor_of

RULE_LABELS = {
    "engagement_moves_to_engaged": "A like, comment, connection or DM moves a Cold lead to Engaged",
    "reply_moves_to_warm": "A real email reply moves a lead to Warm",
    "payment_moves_to_customer": "A payment (typed in or from Stripe) makes the lead a Customer",
    "conversation_moves_to_next_catch_up": "A call, meeting or catch-up note moves a customer "
    "to the next Catch-up stage",
    "last_catch_up_asks_for_referrals": "Reaching the last Catch-up stage creates an "
    "“Ask for 2 referrals” task",
    "catch_up_reminders": "Remind the owner when a customer had no conversation for a while",
}


def _back(request: HttpRequest, pipeline_id: int | None = None) -> HttpResponse:
    url = redirect("pipelines:settings", ws=request.workspace.slug)  # type: ignore[attr-defined]
    if pipeline_id:
        url["Location"] += f"?pipeline={pipeline_id}"
    return url


@workspace_view
def settings_page(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    pipeline_id = _int(request.GET.get("pipeline"))
    pipeline = (
        pipeline_get(workspace=workspace, pipeline_id=pipeline_id)
        if pipeline_id
        else pipeline_create_default(workspace=workspace)
    )
    current = pipeline_settings_get(workspace=workspace)
    return render(
        request,
        "pipelines/settings.html",
        {
            "pipeline": pipeline,
            "pipelines": list(pipelines_of(workspace=workspace)),
            "stages": list(pipeline.stages.all()),
            "kinds": StageKind.choices,
            "rules": [(name, RULE_LABELS[name], getattr(current, name)) for name in SWITCHES],
            "current": current,
            "can_edit": request.membership.role in (Role.OWNER, Role.ADMIN),  # type: ignore[attr-defined]
        },
    )


def _guarded(action):  # type: ignore[no-untyped-def]
    """POST only, owners and admins only, domain errors shown as a message."""

    @workspace_view
    @require_POST
    def view(request: HttpRequest, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        try:
            require_admin(workspace=request.workspace, user=request.user)  # type: ignore[attr-defined]
            done = action(request, **kwargs)
        except DomainError as exc:
            messages.error(request, str(exc))
            return _back(request, _int(request.POST.get("pipeline")))
        if done:
            messages.success(request, done)
        return _back(request, _int(request.POST.get("pipeline")))

    view.__name__ = action.__name__
    return view


@_guarded
def rules_save(request: HttpRequest) -> str:
    data: dict = {name: name in request.POST for name in SWITCHES}
    days = _int(request.POST.get("catch_up_after_days"))
    data["catch_up_after_days"] = days if days is not None else -1
    data["default_currency"] = request.POST.get("default_currency", "")
    pipeline_settings_update(workspace=request.workspace, data=data)  # type: ignore[attr-defined]
    return "Stage rules saved."


@_guarded
def stage_save(request: HttpRequest, stage_id: int) -> str:
    stage = stage_get(workspace=request.workspace, stage_id=stage_id)  # type: ignore[attr-defined]
    stage_update(
        stage=stage, data={k: request.POST.get(k, "") for k in ("name", "kind", "probability")}
    )
    return f"Stage “{stage}” saved."


@_guarded
def stage_shift(request: HttpRequest, stage_id: int) -> str:
    stage = stage_get(workspace=request.workspace, stage_id=stage_id)  # type: ignore[attr-defined]
    ids = list(stage.pipeline.stages.values_list("pk", flat=True))
    i = ids.index(stage.pk)
    j = i - 1 if request.POST.get("direction") == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        stages_reorder(pipeline=stage.pipeline, stage_ids=ids)
    return ""


@_guarded
def stage_remove(request: HttpRequest, stage_id: int) -> str:
    workspace = request.workspace  # type: ignore[attr-defined]
    stage = stage_get(workspace=workspace, stage_id=stage_id)
    target_id = _int(request.POST.get("move_to"))
    target = stage_get(workspace=workspace, stage_id=target_id) if target_id else None
    moved = stage_delete(stage=stage, move_to=target, actor=actor_of(request))
    return f"Stage “{stage}” removed" + (f"; {moved} leads moved to {target}." if moved else ".")


@_guarded
def stage_add(request: HttpRequest, pipeline_id: int) -> str:
    pipeline = pipeline_get(workspace=request.workspace, pipeline_id=pipeline_id)  # type: ignore[attr-defined]
    stage = stage_create(
        pipeline=pipeline,
        name=request.POST.get("name", ""),
        kind=request.POST.get("kind", ""),
        probability=_int(request.POST.get("probability")) or 0,
    )
    return f"Stage “{stage}” added."


@_guarded
def pipeline_add(request: HttpRequest) -> str:
    pipeline = pipeline_create(workspace=request.workspace, name=request.POST.get("name", ""))  # type: ignore[attr-defined]
    return f"Pipeline “{pipeline}” created."
