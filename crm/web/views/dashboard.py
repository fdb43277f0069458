"""The day's work at a glance: tasks due, replies, what happened lately.

Every number here is counted by the selector of the page it links to, with the same filters, so
"Due today 12" opens a Tasks page that shows 12.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crm.selectors.leads import LeadFilters, leads_count
from crm.web.access import workspace_view
from crm.web.panels import dashboard_panel_urls
from crm.web.selectors import (
    recent_activity,
    replies_to_handle,
    start_of_today,
    tasks_view,
    workspace_counts,
)
from crm.web.timeline import timeline_entries

MY_TASKS_SHOWN = 10


@workspace_view
def dashboard(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    lead_total, lead_total_capped = leads_count(workspace=workspace, filters=LeadFilters())
    mine = tasks_view(workspace=workspace, view="today", assignee_id=request.user.pk)
    return render(
        request,
        "crm/dashboard.html",
        {
            "lead_total": lead_total,
            "lead_total_capped": lead_total_capped,
            "counts": workspace_counts(workspace=workspace),
            # The Tasks page's "Today" and "Overdue" tabs, everyone's and mine.
            "due_today": tasks_view(workspace=workspace, view="today", assignee_id=None).count(),
            "overdue": tasks_view(workspace=workspace, view="overdue", assignee_id=None).count(),
            "my_tasks": list(mine[:MY_TASKS_SHOWN]),
            "my_tasks_count": mine.count(),
            "today_start": start_of_today(),
            "replies": replies_to_handle(workspace=workspace),
            "panel_urls": dashboard_panel_urls(ws=workspace.slug),
            "activities": timeline_entries(recent_activity(workspace=workspace)),
        },
    )
