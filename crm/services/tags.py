from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.models import ActivityKind, Lead, LeadTag, Tag, Workspace
from crm.services.activities import activities_record_many

TAG_COLORS = ("slate", "red", "orange", "amber", "green", "teal", "blue", "violet", "pink")


def _clean_name(name: str) -> str:
    value = " ".join((name or "").split())
    if not value:
        raise ValidationFailed.field("name", "A tag needs a name.")
    if len(value) > 60:
        raise ValidationFailed.field("name", "At most 60 characters.")
    return value


def tag_get_or_create(*, workspace: Workspace, name: str, color: str = "") -> Tag:
    """The workspace's tag of this name (case-insensitive), created when new."""
    value = _clean_name(name)
    if color and color not in TAG_COLORS:
        raise ValidationFailed.field("color", f"Must be one of {', '.join(TAG_COLORS)}.")
    with transaction.atomic():
        tag = Tag.objects.filter(workspace=workspace, name__iexact=value).first()
        if tag is None:
            tag = Tag.objects.create(workspace=workspace, name=value, color=color or "slate")
    return tag


def tag_update(*, tag: Tag, name: str | None = None, color: str | None = None) -> Tag:
    """Rename or recolor a tag."""
    if name is not None:
        value = _clean_name(name)
        clash = Tag.objects.filter(workspace_id=tag.workspace_id, name__iexact=value).exclude(
            pk=tag.pk
        )
        if clash.exists():
            raise Conflict(f"A tag named '{value}' already exists.")
        tag.name = value
    if color is not None:
        if color not in TAG_COLORS:
            raise ValidationFailed.field("color", f"Must be one of {', '.join(TAG_COLORS)}.")
        tag.color = color
    tag.save()
    return tag


def tag_delete(*, tag: Tag) -> None:
    """Delete a tag and take it off every lead."""
    tag.delete()


def leads_tag(*, workspace: Workspace, lead_ids: Iterable[int], tag: Tag, actor: Actor) -> int:
    """Put a tag on many leads; returns how many did not have it."""
    wanted = set(lead_ids)
    with transaction.atomic():
        already = set(
            LeadTag.objects.filter(tag=tag, lead_id__in=wanted).values_list("lead_id", flat=True)
        )
        leads = list(Lead.objects.filter(workspace=workspace, pk__in=wanted - already))
        LeadTag.objects.bulk_create([LeadTag(lead=lead, tag=tag) for lead in leads], 500)
        activities_record_many(
            leads=leads, kind=ActivityKind.TAGGED, actor=actor, payload={"tag": tag.name}
        )
    return len(leads)


def leads_untag(*, workspace: Workspace, lead_ids: Iterable[int], tag: Tag, actor: Actor) -> int:
    """Take a tag off many leads; returns how many had it."""
    wanted = set(lead_ids)
    with transaction.atomic():
        links = LeadTag.objects.filter(tag=tag, lead_id__in=wanted, lead__workspace=workspace)
        leads = list(Lead.objects.filter(pk__in=links.values("lead_id")))
        links.delete()
        activities_record_many(
            leads=leads, kind=ActivityKind.UNTAGGED, actor=actor, payload={"tag": tag.name}
        )
    return len(leads)
