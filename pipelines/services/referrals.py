"""Referrals: the people a customer introduces enter the pipeline Warm, linked to them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.models import ActivityKind, Lead, Task, TaskKind
from crm.services.activities import activity_record
from crm.services.leads import lead_create, lead_update
from crm.services.tasks import task_complete
from pipelines.models import PipelineEntry, StageKind
from pipelines.services.entries import entry_move
from pipelines.services.placement import entries_place_new_leads
from pipelines.services.structure import pipeline_create_default

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "linkedin_url",
    "title",
    "phone",
    "company_name",
    "company_website",
)
MAX_PEOPLE = 20


def referrals_record(*, customer: Lead, people: list[dict[str, Any]], actor: Actor) -> list[Lead]:
    """Create the people a customer referred as Warm leads with ``referred_by`` = the customer.

    A person already known is linked (when nobody referred them yet) and warmed up if still
    Cold or Engaged; nobody is duplicated. Both timelines say who referred whom, and the
    customer's open "ask for referrals" task is done. All or nothing: one invalid person
    rejects the lot, with each person's errors under ``people.<i>.<field>``.
    """
    if not people:
        raise ValidationFailed.field("people", "Name at least one person.")
    if len(people) > MAX_PEOPLE:
        raise ValidationFailed.field("people", f"At most {MAX_PEOPLE} people at once.")
    workspace = customer.workspace
    pipeline = pipeline_create_default(workspace=workspace)
    warm = pipeline.stages.filter(kind=StageKind.WARM).order_by("position").first()
    errors: dict[str, list[str]] = {}
    referred: list[Lead] = []
    with transaction.atomic():
        for i, person in enumerate(people):
            data = {k: person[k] for k in PERSON_FIELDS if person.get(k)}
            data.update(referred_by_id=customer.pk, source="referral")
            try:
                lead, created = lead_create(
                    workspace=workspace,
                    actor=actor,
                    data=data,
                    on_conflict="return",
                    place_in_pipeline=False,
                )
            except ValidationFailed as exc:
                for field, messages in (exc.errors or {"person": [exc.message]}).items():
                    errors[f"people.{i}.{field}"] = messages
                continue
            if lead.pk == customer.pk:
                errors[f"people.{i}.email"] = ["A customer cannot refer themselves."]
                continue
            if not created and lead.referred_by_id is None:
                lead_update(lead=lead, actor=actor, data={"referred_by_id": customer.pk})
            referred.append(lead)
        if errors:
            raise ValidationFailed("Some referred people are invalid.", errors=errors)
        entries_place_new_leads(
            workspace=workspace, lead_ids=[p.pk for p in referred], stage=warm, actor=actor
        )
        _warm_up_known(referred, pipeline, warm, actor, customer)
        names = ", ".join(str(p) for p in referred)
        activity_record(
            lead=customer,
            kind=ActivityKind.NOTE,
            actor=actor,
            body=f"Referred {len(referred)}: {names}",
            payload={"referral_lead_ids": [p.pk for p in referred]},
        )
        for referred_lead in referred:
            activity_record(
                lead=referred_lead,
                kind=ActivityKind.NOTE,
                actor=actor,
                body=f"Referred by {customer}",
                payload={"referred_by_id": customer.pk},
            )
        asks = Task.objects.filter(lead=customer, kind=TaskKind.ASK_REFERRAL, done_at__isnull=True)
        for task in asks:
            task_complete(task=task, actor=actor)
    return referred


def _warm_up_known(referred, pipeline, warm, actor, customer) -> None:  # type: ignore[no-untyped-def]
    """Known leads still Cold or Engaged become Warm: a customer vouched for them."""
    if warm is None:
        return
    stale = PipelineEntry.objects.filter(
        pipeline=pipeline,
        lead__in=referred,
        stage__kind__in=(StageKind.COLD, StageKind.ENGAGED),
    ).select_related("stage", "lead")
    for entry in stale:
        entry_move(
            entry=entry,
            to_stage=warm,
            expected_from_stage=entry.stage,
            actor=actor,
            reason=f"Referred by {customer}",
        )
