"""The day's work at a glance: tasks due, catch-ups, replies, what happened lately."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crm.selectors.leads import LeadFilters, leads_count
from crm.selectors.records import tasks_due
from crm.web.access import workspace_view
from crm.web.panels import dashboard_panel_urls
from crm.web.selectors import (
    catch_ups_due,
    recent_activity,
    replies_to_handle,
    start_of_today,
    workspace_counts,
)
from crm.web.timeline import timeline_entries


@workspace_view
def dashboard(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    lead_total, lead_total_capped = leads_count(workspace=workspace, filters=LeadFilters())
    my_tasks = list(tasks_due(workspace=workspace, assignee_id=request.user.pk)[:10])
    return render(
        request,
        "crm/dashboard.html",
        {
            "lead_total": lead_total,
            "lead_total_capped": lead_total_capped,
            "counts": workspace_counts(workspace=workspace),
            "my_tasks": my_tasks,
            "today_start": start_of_today(),
            "catch_ups": catch_ups_due(workspace=workspace),
            "replies": replies_to_handle(workspace=workspace),
            "panel_urls": dashboard_panel_urls(ws=workspace.slug),
            "activities": timeline_entries(recent_activity(workspace=workspace)),
        },
    )
