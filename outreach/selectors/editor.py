"""Reads of the sequence editor and the enrollment pages, scoped through their sequence."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from outreach.models import Enrollment, Sequence, Step, StepVariant


def step_get(*, sequence: Sequence, step_id: int) -> Step:
    """A step of this sequence (already scoped to a workspace), or 404."""
    return get_object_or_404(Step.objects.select_related("sequence"), sequence=sequence, pk=step_id)


def variant_get(*, step: Step, variant_id: int) -> StepVariant:
    return get_object_or_404(StepVariant, step=step, pk=variant_id)


def steps_of(*, sequence: Sequence) -> list[Step]:
    return list(sequence.steps.prefetch_related("variants").order_by("position"))


def enrollments_filtered(
    *, sequence: Sequence, status: str = "", q: str = ""
) -> QuerySet[Enrollment]:
    """The sequence's enrollments, by status and by a word of the lead's name or email."""
    qs = sequence.enrollments.select_related("lead__company", "mailbox")
    if status:
        qs = qs.filter(status=status)
    for word in q.lower().split()[:5]:
        qs = qs.filter(Q(lead__search_text__contains=word) | Q(lead__email__icontains=word))
    return qs.order_by("id")


def sequence_enrollment_choices(*, sequence: Sequence, limit: int = 200) -> list[Enrollment]:
    """Leads the preview can be shown for: live ones first, then the rest."""
    return list(sequence.enrollments.select_related("lead").order_by("status", "id")[:limit])
