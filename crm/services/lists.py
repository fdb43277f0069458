from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.events import events_record_batch
from crm.models import ActivityKind, Lead, LeadList, ListKind, ListMembership, Workspace
from crm.models.lists import DEFAULT_SIZE_LIMITS
from crm.services.activities import activities_record_many


def _clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    if "name" in data:
        clean["name"] = (data["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = ["A list needs a name."]
        elif len(clean["name"]) > 120:
            errors["name"] = ["At most 120 characters."]
    if "kind" in data:
        if data["kind"] not in ListKind.values:
            errors["kind"] = [f"Must be one of {', '.join(ListKind.values)}."]
        clean["kind"] = data["kind"]
    if "size_limit" in data:
        limit = data["size_limit"]
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            errors["size_limit"] = ["Must be a whole number of at least 1, or empty."]
        clean["size_limit"] = limit
    if "description" in data:
        clean["description"] = (data["description"] or "").strip()
    if errors:
        raise ValidationFailed("Invalid list.", errors=errors)
    return clean


def list_create(*, workspace: Workspace, data: dict) -> LeadList:
    """Create a lead list. Dream-100 and target-account lists get their usual size limit."""
    clean = _clean({"kind": ListKind.PROSPECTING, **data})
    if "name" not in clean:
        raise ValidationFailed.field("name", "A list needs a name.")
    if "size_limit" not in clean:
        clean["size_limit"] = DEFAULT_SIZE_LIMITS.get(clean["kind"])
    try:
        with transaction.atomic():
            return LeadList.objects.create(workspace=workspace, **clean)
    except IntegrityError:
        raise Conflict(f"A list named '{clean['name']}' already exists.") from None


def list_update(*, lead_list: LeadList, data: dict) -> LeadList:
    """Rename, re-describe or re-limit a list; a limit below its current size is refused."""
    clean = _clean(data)
    limit = clean.get("size_limit", lead_list.size_limit)
    if limit is not None and "size_limit" in clean:
        size = lead_list.memberships.count()
        if size > limit:
            raise ValidationFailed.field(
                "size_limit", f"The list already holds {size} leads; remove some first."
            )
    for field, value in clean.items():
        setattr(lead_list, field, value)
    try:
        with transaction.atomic():
            lead_list.save()
    except IntegrityError:
        raise Conflict(f"A list named '{lead_list.name}' already exists.") from None
    return lead_list


def list_delete(*, lead_list: LeadList) -> None:
    """Delete a list; its leads stay."""
    lead_list.delete()


def list_add_leads(*, lead_list: LeadList, lead_ids: Iterable[int], actor: Actor) -> int:
    """Add leads to a list; returns how many were new to it.

    The size limit holds under concurrency: the list row is locked while counting, so two
    requests adding the 40th lead cannot both succeed. Leads of other workspaces are ignored.
    """
    wanted = set(lead_ids)
    with transaction.atomic():
        locked = LeadList.objects.select_for_update().get(pk=lead_list.pk)
        already = set(
            ListMembership.objects.filter(lead_list=locked, lead_id__in=wanted).values_list(
                "lead_id", flat=True
            )
        )
        leads = list(Lead.objects.filter(workspace_id=locked.workspace_id, pk__in=wanted - already))
        if locked.size_limit is not None and leads:
            size = ListMembership.objects.filter(lead_list=locked).count()
            if size + len(leads) > locked.size_limit:
                raise Conflict(
                    f"'{locked.name}' holds at most {locked.size_limit} leads; it has {size}, "
                    f"so {len(leads)} more would make {size + len(leads)}.",
                    errors={"lead_ids": [f"At most {locked.size_limit - size} more fit."]},
                )
        ListMembership.objects.bulk_create(
            [ListMembership(lead_list=locked, lead=lead) for lead in leads], batch_size=500
        )
        activities_record_many(
            leads=leads,
            kind=ActivityKind.LIST_ADDED,
            actor=actor,
            payload={"list_id": locked.pk, "list": locked.name},
        )
        events_record_batch(
            type="list.lead_added",
            workspace_id=locked.workspace_id,
            actor=actor,
            subject_ids=[lead.pk for lead in leads],
            data={"list": _list_ref(locked)},
        )
    return len(leads)


def list_remove_leads(*, lead_list: LeadList, lead_ids: Iterable[int], actor: Actor) -> int:
    """Take leads off a list; returns how many were on it."""
    wanted = set(lead_ids)
    with transaction.atomic():
        memberships = ListMembership.objects.filter(lead_list=lead_list, lead_id__in=wanted)
        leads = list(Lead.objects.filter(pk__in=memberships.values("lead_id")))
        memberships.delete()
        activities_record_many(
            leads=leads,
            kind=ActivityKind.LIST_REMOVED,
            actor=actor,
            payload={"list_id": lead_list.pk, "list": lead_list.name},
        )
        events_record_batch(
            type="list.lead_removed",
            workspace_id=lead_list.workspace_id,
            actor=actor,
            subject_ids=[lead.pk for lead in leads],
            data={"list": _list_ref(lead_list)},
        )
    return len(leads)


def _list_ref(lead_list: LeadList) -> dict[str, object]:
    return {"id": lead_list.pk, "name": lead_list.name, "kind": lead_list.kind}
