"""Buttons other apps put on a lead's page, next to Edit (e.g. "Pipeline", "Draft email")."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from crm.web.extensions.registry import Registry


@dataclass(frozen=True)
class LeadAction:
    key: str
    label: str
    # Reversed with ``ws`` and ``lead_id``; an action whose URL does not reverse is left out.
    url_name: str
    icon: str = ""
    # "post" renders a form with a CSRF token (for an action that changes something at once).
    method: str = "get"
    order: int = 100


LEAD_ACTIONS: Registry[LeadAction] = Registry("lead-page actions")


@dataclass(frozen=True)
class ResolvedLeadAction:
    action: LeadAction
    url: str


def lead_actions(*, ws: str, lead_id: int) -> list[ResolvedLeadAction]:
    resolved = []
    for action in LEAD_ACTIONS.all():
        try:
            url = reverse(action.url_name, kwargs={"ws": ws, "lead_id": lead_id})
        except NoReverseMatch:
            continue
        resolved.append(ResolvedLeadAction(action, url))
    return resolved
