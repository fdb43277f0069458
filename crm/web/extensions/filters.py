"""Filters of the leads table that other apps add (a lead's stage, its sequence…).

Each filter is a form field in the table's query string and a narrowing of the queryset. The
table, its CSV export, saved views and "select all N matching" all go through the same filter
form, so a registered filter applies everywhere the table's filters do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet

from crm.models import Lead, Workspace
from crm.web.extensions.registry import Registry


@dataclass(frozen=True)
class LeadFilter:
    # The query-string parameter, e.g. ``stage``.
    key: str
    label: str
    # The form field for this workspace (choices scoped to it); not required.
    field: Callable[[Workspace], forms.Field]
    # Narrows the workspace's leads to the cleaned, non-empty value. Use Exists() or a join on
    # an indexed column: it runs on the whole table, before paging.
    apply: Callable[[QuerySet[Lead], Any, Workspace], QuerySet[Lead]]
    order: int = 100


LEAD_FILTERS: Registry[LeadFilter] = Registry("leads-table filters")
