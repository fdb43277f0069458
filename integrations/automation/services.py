"""The inbound lead URL: its token, and the upsert each post makes."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.models import Lead, LeadList, Workspace
from crm.normalize import InvalidValue, normalize_email, normalize_linkedin_url
from crm.services.leads import lead_create, lead_find_existing, lead_update
from crm.services.lists import list_add_leads, list_create
from crm.services.tags import leads_tag, tag_get_or_create
from integrations.automation.models import InboundLeadUrl
from pipelines.models import PipelineEntry
from pipelines.selectors.stage_lookup import stage_named
from pipelines.services import entry_move, entry_place, entry_update, pipeline_create_default

ACTOR = Actor.integration("Inbound URL")
PLACEMENT_FIELDS = ("list_id", "list_name", "tags", "stage", "value_minor", "currency")
CREATE_ONLY_FIELDS = ("company_name", "company_website")


def inbound_url_get_or_create(*, workspace: Workspace) -> InboundLeadUrl:
    """The workspace's inbound lead URL, made on first use."""
    inbound, _ = InboundLeadUrl.objects.get_or_create(
        workspace=workspace, defaults={"token": secrets.token_urlsafe(32)}
    )
    return inbound


def inbound_url_rotate(*, workspace: Workspace) -> InboundLeadUrl:
    """A new secret token: the old URL stops working at once."""
    inbound = inbound_url_get_or_create(workspace=workspace)
    inbound.token = secrets.token_urlsafe(32)
    inbound.save(update_fields=["token"])
    return inbound


def _identity(data: dict[str, Any]) -> tuple[str | None, str | None]:
    try:
        email = normalize_email(data.get("email"))
        linkedin = normalize_linkedin_url(data.get("linkedin_url"))
    except InvalidValue:
        return None, None  # lead_create / lead_update report the bad field
    return email, linkedin


def inbound_lead_upsert(
    *, inbound: InboundLeadUrl, data: dict[str, Any], actor: Actor = ACTOR
) -> tuple[Lead, bool]:
    """Create the lead, or update the one with this email (else LinkedIn URL); then put it in
    the list, tag it, move it to the stage and value the deal. Returns ``(lead, created)``.

    Everything commits together: a bad stage leaves no half-made lead behind.
    """
    workspace = inbound.workspace
    fields = {k: v for k, v in data.items() if k not in PLACEMENT_FIELDS}
    email, linkedin = _identity(fields)
    with transaction.atomic():
        existing = lead_find_existing(workspace=workspace, email=email, linkedin_url=linkedin)
        if existing is not None:
            changes = {k: v for k, v in fields.items() if k not in CREATE_ONLY_FIELDS}
            lead, created = lead_update(lead=existing, actor=actor, data=changes), False
        else:
            lead, created = lead_create(
                workspace=workspace, actor=actor, data=fields, on_conflict="return"
            )
        _place(workspace, lead, data, actor)
        InboundLeadUrl.objects.filter(pk=inbound.pk).update(
            leads_received=F("leads_received") + 1, last_received_at=timezone.now()
        )
    return lead, created


def _lead_list(workspace: Workspace, data: dict[str, Any]) -> LeadList | None:
    if data.get("list_id"):
        found = LeadList.objects.filter(workspace=workspace, pk=data["list_id"]).first()
        if found is None:
            raise ValidationFailed.field("list_id", "No such list in this workspace.")
        return found
    name = (data.get("list_name") or "").strip()
    if not name:
        return None
    found = LeadList.objects.filter(workspace=workspace, name__iexact=name).first()
    return found or list_create(workspace=workspace, data={"name": name})


def _place(workspace: Workspace, lead: Lead, data: dict[str, Any], actor: Actor) -> None:
    lead_list = _lead_list(workspace, data)
    if lead_list is not None:
        list_add_leads(lead_list=lead_list, lead_ids=[lead.pk], actor=actor)
    for name in data.get("tags") or []:
        tag = tag_get_or_create(workspace=workspace, name=name)
        leads_tag(workspace=workspace, lead_ids=[lead.pk], tag=tag, actor=actor)
    stage_ref = (data.get("stage") or "").strip()
    deal = {k: data[k] for k in ("value_minor", "currency") if data.get(k) is not None}
    if not stage_ref and not deal:
        return
    pipeline = pipeline_create_default(workspace=workspace)
    entry = PipelineEntry.objects.filter(pipeline=pipeline, lead=lead).first()
    if entry is None:
        entry = entry_place(pipeline=pipeline, lead=lead, actor=actor)
    if stage_ref:
        stage = stage_named(pipeline=pipeline, ref=stage_ref, field="stage")
        entry = entry_move(entry=entry, to_stage=stage, actor=actor, reason="Inbound URL")
    if deal:
        entry_update(entry=entry, data=deal)
