"""Reactions to the core's lead events: a lead's profile handles become its identities.

crm may not import the feed app, so the feed listens: ``lead.created`` (every door, imports in
batches) and ``lead.updated`` when ``social_handles`` or ``linkedin_url`` changed. In the lead's
own transaction, so a lead is never saved without its identities.
"""

from __future__ import annotations

from crm.events import Occurrence, subscribe
from integrations.feed.services.identities import identities_sync_from_leads

PROFILE_FIELDS = frozenset({"social_handles", "linkedin_url"})


def on_lead_created(occurrence: Occurrence) -> None:
    identities_sync_from_leads(
        workspace_id=occurrence.workspace_id, lead_ids=occurrence.subject_ids
    )


def on_lead_updated(occurrence: Occurrence) -> None:
    if PROFILE_FIELDS.intersection(occurrence.data.get("fields") or ()):
        identities_sync_from_leads(
            workspace_id=occurrence.workspace_id, lead_ids=occurrence.subject_ids
        )


def register() -> None:
    subscribe("lead.created", on_lead_created, in_transaction=True)
    subscribe("lead.updated", on_lead_updated, in_transaction=True)
