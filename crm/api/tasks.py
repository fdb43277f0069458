"""/tasks: reminders (engage, follow up, catch up, ask for referrals), on a lead or not."""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import errors
from crm.api.schemas.tasks import TaskIn, TaskOut, TaskPageOut, TaskPatch, TaskQuery
from crm.errors import ValidationFailed
from crm.selectors.leads import lead_get
from crm.selectors.records import task_get, tasks_list
from crm.services.tasks import task_complete, task_create, task_delete, task_reopen, task_update

router = Router(tags=["tasks"])


@router.get(
    "/tasks",
    response={200: TaskPageOut, **errors(404, 422)},
    summary="List tasks",
    description="Open tasks first, by due date. A `lead_id` of another workspace is a 404.",
)
def tasks_view(request: ApiRequest, query: Query[TaskQuery]):
    workspace = request.workspace
    lead = lead_get(workspace=workspace, lead_id=query.lead_id) if query.lead_id else None
    tasks = tasks_list(
        workspace=workspace, lead=lead, assignee_id=query.assignee_id, open_only=query.open_only
    )
    return {"items": tasks[query.offset : query.offset + query.limit], "count": tasks.count()}


@router.post(
    "/tasks",
    response={201: TaskOut, **errors(400, 422)},
    summary="Create a task",
    description="On a lead when `lead_id` is given (and logged on its timeline).",
)
def task_create_view(request: ApiRequest, payload: TaskIn):
    workspace = request.workspace
    data = payload.dict(exclude_unset=True)
    lead_id = data.pop("lead_id", None)
    try:
        lead = lead_get(workspace=workspace, lead_id=lead_id) if lead_id else None
    except Http404:
        # The task is what is missing here, not the lead: a field error, not a 404.
        raise ValidationFailed.field("lead_id", "No such lead in this workspace.") from None
    task = task_create(workspace=workspace, actor=actor_of(request), data=data, lead=lead)
    return Status(201, task)


@router.get("/tasks/{task_id}", response={200: TaskOut, **errors(404)}, summary="Get a task")
def task_detail(request: ApiRequest, task_id: int):
    return task_get(workspace=request.workspace, task_id=task_id)


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskOut, **errors(400, 404, 422)},
    summary="Change a task",
    description="Title, kind, due date or assignee; use /complete and /reopen for its state.",
)
def task_update_view(request: ApiRequest, task_id: int, payload: TaskPatch):
    task = task_get(workspace=request.workspace, task_id=task_id)
    return task_update(task=task, data=payload.dict(exclude_unset=True))


@router.post(
    "/tasks/{task_id}/complete",
    response={200: TaskOut, **errors(404)},
    summary="Mark a task done",
    description="Done twice is done once.",
)
def task_complete_view(request: ApiRequest, task_id: int):
    task = task_get(workspace=request.workspace, task_id=task_id)
    return task_complete(task=task, actor=actor_of(request))


@router.post(
    "/tasks/{task_id}/reopen", response={200: TaskOut, **errors(404)}, summary="Reopen a task"
)
def task_reopen_view(request: ApiRequest, task_id: int):
    return task_reopen(task=task_get(workspace=request.workspace, task_id=task_id))


@router.delete("/tasks/{task_id}", response={204: None, **errors(404)}, summary="Delete a task")
def task_delete_view(request: ApiRequest, task_id: int):
    task_delete(task=task_get(workspace=request.workspace, task_id=task_id))
    return Status(204, None)
