"""The tasks page: mine or everyone's, due today, overdue, upcoming, done."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.actors import Actor
from crm.errors import DomainError
from crm.selectors.records import task_get
from crm.services.tasks import task_complete, task_create, task_reopen
from crm.web.access import signed_in_user, workspace_view
from crm.web.errors import form_add_domain_error
from crm.web.forms.records import TaskForm
from crm.web.responses import is_htmx, redirect_back
from crm.web.selectors import TASK_VIEWS, start_of_today, tasks_view

TASK_VIEW_LABELS = {
    "today": "Due today",
    "overdue": "Overdue",
    "upcoming": "Upcoming",
    "done": "Done",
    "all": "All",
}


@workspace_view
def tasks_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    view = request.GET.get("view", "today")
    view = view if view in TASK_VIEWS else "today"
    whose = "all" if request.GET.get("whose") == "all" else "mine"
    assignee_id = request.user.pk if whose == "mine" else None
    form = TaskForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            task_create(
                workspace=workspace,
                actor=Actor.of_user(signed_in_user(request)),
                data=form.service_data(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Task added.")
            return redirect_back(request, reverse("crm:tasks", kwargs={"ws": workspace.slug}))
    tabs = [
        (key, label, tasks_view(workspace=workspace, view=key, assignee_id=assignee_id).count())
        for key, label in TASK_VIEW_LABELS.items()
        if key != "all"
    ]
    return render(
        request,
        "crm/tasks/index.html",
        {
            "tasks": tasks_view(workspace=workspace, view=view, assignee_id=assignee_id)[:200],
            "view": view,
            "whose": whose,
            "tabs": tabs,
            "task_form": form,
            "today_start": start_of_today(),
        },
    )


def _toggle(request: HttpRequest, task_id: int, *, done: bool) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    task = task_get(workspace=workspace, task_id=task_id)
    if done:
        task = task_complete(task=task, actor=Actor.of_user(signed_in_user(request)))
    else:
        task = task_reopen(task=task)
    if is_htmx(request):
        return render(
            request,
            "crm/tasks/_task_row.html",
            {
                "task": task,
                "show_lead": request.POST.get("show_lead") == "1",
                "today_start": start_of_today(),
            },
        )
    return redirect_back(request, reverse("crm:tasks", kwargs={"ws": workspace.slug}))


@require_POST
@workspace_view
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    return _toggle(request, task_id, done=True)


@require_POST
@workspace_view
def task_undo(request: HttpRequest, task_id: int) -> HttpResponse:
    return _toggle(request, task_id, done=False)
