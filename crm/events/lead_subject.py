"""Leads in events look exactly like ``GET /api/v1/leads/{id}``."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch
from ninja.responses import NinjaJSONEncoder

from crm.models import Lead, LeadList, Tag


def leads_as_api(workspace_id: int, ids: list[int]) -> dict[int, dict[str, Any]]:
    """``{id: lead as the API returns it}`` in three queries, however many ids."""
    leads = (
        Lead.objects.filter(workspace_id=workspace_id, pk__in=ids)
        .select_related("company", "owner")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")), "lists")
    )
    return {lead.pk: lead_as_api(lead) for lead in leads}


def new_lead_as_api(lead: Lead) -> dict[str, Any]:
    """A lead created a moment ago in this transaction: it has no tags or lists yet, so they
    are not queried (``lead_create`` stays within its budget)."""
    lead._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "tags": Tag.objects.none(),
        "lists": LeadList.objects.none(),
    }
    try:
        return lead_as_api(lead)
    finally:
        del lead._prefetched_objects_cache  # type: ignore[attr-defined]


def lead_as_api(lead: Lead) -> dict[str, Any]:
    # Imported on use: importing crm.api loads every app's router, and services import this
    # module while the apps are still loading.
    from crm.api.schemas.leads import LeadOut

    # Through the API's own JSON encoder, so dates come out exactly as the API writes them.
    return json.loads(json.dumps(LeadOut.from_orm(lead).model_dump(), cls=NinjaJSONEncoder))
