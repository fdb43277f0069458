"""Reads of AI settings and drafts, always scoped to a workspace (another one's row is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from crm.models import Lead, Workspace
from integrations.ai.models import AiSettings, DraftStatus, SlotDraft
from outreach.models import LIVE_STATUSES, Enrollment, Sequence


def ai_settings_of(*, workspace: Workspace) -> AiSettings:
    """The workspace's AI settings (an unsaved, AI-off row when never set)."""
    found = AiSettings.objects.filter(workspace=workspace).first()
    return found or AiSettings(workspace=workspace)


def drafts_of(
    *, workspace: Workspace, sequence_id: int | None = None, status: str = ""
) -> QuerySet[SlotDraft]:
    """Newest first, with the enrollment's lead and sequence for display."""
    drafts = SlotDraft.objects.filter(workspace=workspace).select_related(
        "enrollment__lead", "enrollment__sequence"
    )
    if sequence_id is not None:
        drafts = drafts.filter(enrollment__sequence_id=sequence_id)
    if status:
        drafts = drafts.filter(status=status)
    return drafts.order_by("-id")


def drafts_to_review(
    *, workspace: Workspace, sequence_id: int | None = None
) -> QuerySet[SlotDraft]:
    return drafts_of(workspace=workspace, sequence_id=sequence_id, status=DraftStatus.PENDING)


def draft_get(*, workspace: Workspace, draft_id: int) -> SlotDraft:
    return get_object_or_404(
        SlotDraft.objects.select_related("enrollment__lead", "enrollment__sequence"),
        workspace=workspace,
        pk=draft_id,
    )


def sequence_get(*, workspace: Workspace, sequence_id: int) -> Sequence:
    return get_object_or_404(Sequence, workspace=workspace, pk=sequence_id)


def sequences_of(*, workspace: Workspace) -> QuerySet[Sequence]:
    return Sequence.objects.filter(workspace=workspace).order_by("name", "id")


def enrollments_for_drafts(
    *, sequence: Sequence, enrollment_ids: list[int] | None = None
) -> list[Enrollment]:
    """The sequence's live enrollments (all, or the chosen ones), with what the sources need."""
    rows = Enrollment.objects.filter(sequence=sequence, status__in=LIVE_STATUSES)
    if enrollment_ids is not None:
        rows = rows.filter(pk__in=enrollment_ids)
    return list(rows.select_related("lead__company", "mailbox", "workspace").order_by("id"))


def lead_get(*, workspace: Workspace, lead_id: int) -> Lead:
    return get_object_or_404(
        Lead.objects.select_related("company"), workspace=workspace, pk=lead_id
    )


def live_enrollment_of(*, lead: Lead) -> Enrollment | None:
    """The lead's live enrollment (at most one at a time), with its mailbox for the sender."""
    return (
        Enrollment.objects.filter(lead=lead, status__in=LIVE_STATUSES)
        .select_related("mailbox", "workspace")
        .first()
    )
