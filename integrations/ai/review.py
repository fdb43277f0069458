"""A person's decision on a draft: approve (optionally edited) into the slots, or reject."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from integrations.ai.events import personalization_approved_record
from integrations.ai.models import DraftStatus, SlotDraft
from integrations.ai.prompts import LIMITS
from outreach.services.enrollments import enrollment_slots_fill

SLOT_LIMITS = {"slot1": LIMITS["subject"], "slot2": LIMITS["intro"], "slot3": LIMITS["ps"]}


def _locked_pending(draft: SlotDraft) -> SlotDraft:
    locked = SlotDraft.objects.select_for_update().select_related("enrollment").get(pk=draft.pk)
    if locked.status != DraftStatus.PENDING:
        raise Conflict(f"This draft is {locked.get_status_display().lower()}: nothing to decide.")
    return locked


@transaction.atomic
def slot_draft_approve(
    *,
    draft: SlotDraft,
    user: User,
    edits: dict[str, str] | None = None,
    overwrite: bool = False,
) -> tuple[SlotDraft, list[str]]:
    """Approve a draft awaiting review; its (edited) values fill the enrollment's empty slots,
    or every slot with ``overwrite``. Returns the draft and the slots written.

    The model's text stays beside what was approved; an approved draft is frozen.
    """
    locked = _locked_pending(draft)
    values = {"slot1": locked.slot1, "slot2": locked.slot2, "slot3": locked.slot3}
    for name, value in (edits or {}).items():
        if name not in SLOT_LIMITS:
            raise ValidationFailed.field(name, "Slots are slot1, slot2 and slot3.")
        text = " ".join(value.split()) if name == "slot1" else value.strip()
        if not text:
            raise ValidationFailed.field(name, "An approved slot cannot be empty.")
        if len(text) > SLOT_LIMITS[name]:
            raise ValidationFailed.field(name, f"At most {SLOT_LIMITS[name]} characters.")
        values[name] = text
    written = enrollment_slots_fill(enrollment=locked.enrollment, slots=values, overwrite=overwrite)
    edited = values != {"slot1": locked.slot1, "slot2": locked.slot2, "slot3": locked.slot3}
    locked.status = DraftStatus.APPROVED
    locked.approved_slots = values
    locked.decided_at = timezone.now()
    locked.decided_by = user
    locked.save(update_fields=["status", "approved_slots", "decided_at", "decided_by"])
    personalization_approved_record(
        draft=locked, actor=Actor.of_user(user), written=written, edited=edited
    )
    return locked, written


@transaction.atomic
def slot_draft_reject(*, draft: SlotDraft, user: User) -> SlotDraft:
    """Reject a draft awaiting review; the enrollment's slots are untouched."""
    locked = _locked_pending(draft)
    locked.status = DraftStatus.REJECTED
    locked.reason = "Rejected by a reviewer."
    locked.decided_at = timezone.now()
    locked.decided_by = user
    locked.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    return locked
