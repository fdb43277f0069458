"""Reads of a person's leads-table preferences, scoped to the workspace and to the person."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from crm.models import LeadTableLayout, LeadView, Workspace


def table_columns_of(*, workspace: Workspace, user: User) -> list[str]:
    """The columns ``user`` chose, or an empty list for the defaults."""
    layout = LeadTableLayout.objects.filter(workspace=workspace, user=user).first()
    return list(layout.columns) if layout else []


def lead_views_of(*, workspace: Workspace, user: User) -> QuerySet[LeadView]:
    return LeadView.objects.filter(workspace=workspace, user=user).order_by("name", "id")


def lead_view_get(*, workspace: Workspace, user: User, view_id: int) -> LeadView:
    """One of the person's views in this workspace, or 404 (another person's view included)."""
    return get_object_or_404(LeadView, workspace=workspace, user=user, pk=view_id)
