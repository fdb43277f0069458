from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.models import Lead, LeadList
from crm.selectors.leads import LeadFilters, leads_filtered
from outreach.models import (
    LIVE_STATUSES,
    Enrollment,
    EnrollmentStatus,
    MessageStatus,
    Sequence,
    SequenceStatus,
)
from outreach.services.suppression import lead_block_reason
from outreach.windows import add_days, window_zone

SLOT_NAMES = {"slot1", "slot2", "slot3"}


@dataclass
class EnrollReport:
    added: list[int] = field(default_factory=list)  # enrollment ids
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (lead id, reason)


@transaction.atomic
def enrollments_add(
    *,
    sequence: Sequence,
    lead_ids: list[int],
    actor: Actor,
    slots: dict[int, dict[str, str]] | None = None,
) -> EnrollReport:
    """Enroll leads, each bound for life to one of the sequence's mailboxes (round-robin).

    Leads that may not be emailed are skipped with the reason and reported: suppressed,
    do-not-contact, invalid email, already active in this or another sequence.
    """
    if sequence.status == SequenceStatus.ARCHIVED:
        raise Conflict("An archived sequence takes no new leads.")
    mailboxes = list(sequence.mailboxes.order_by("id"))
    if not mailboxes:
        raise ValidationFailed.field("mailboxes", "The sequence has no mailbox to send from.")
    first_step = sequence.steps.order_by("position").first()
    report = EnrollReport()
    leads = Lead.objects.filter(workspace_id=sequence.workspace_id, pk__in=set(lead_ids))
    found = {lead.pk: lead for lead in leads.select_related("company")}
    busy = set(
        Enrollment.objects.filter(lead_id__in=found, status__in=LIVE_STATUSES).values_list(
            "lead_id", flat=True
        )
    )
    already = set(Enrollment.objects.filter(sequence=sequence).values_list("lead_id", flat=True))
    turn = Enrollment.objects.filter(sequence=sequence).count()
    now = timezone.now()
    for lead_id in dict.fromkeys(lead_ids):
        lead = found.get(lead_id)
        if lead is None:
            report.skipped.append((lead_id, "not found"))
            continue
        reason = lead_block_reason(lead)
        if reason is None and lead_id in already:
            reason = "already in this sequence"
        elif reason is None and lead_id in busy:
            reason = "already active in another sequence"
        if reason is not None:
            report.skipped.append((lead_id, reason))
            continue
        mailbox = mailboxes[turn % len(mailboxes)]
        turn += 1
        lead_slots = {**(lead.slots or {}), **((slots or {}).get(lead_id) or {})}
        delay = first_step.delay_days if first_step else 0
        zone = window_zone(mailbox, lead.timezone if sequence.use_lead_timezone else "")
        enrollment = Enrollment.objects.create(
            workspace_id=sequence.workspace_id,
            sequence=sequence,
            lead=lead,
            mailbox=mailbox,
            slots={k: v for k, v in lead_slots.items() if k in SLOT_NAMES},
            next_send_at=add_days(
                now, delay, business=bool(first_step and first_step.business_days), zone=zone
            ),
        )
        report.added.append(enrollment.pk)
    return report


def enrollments_add_from_list(
    *, sequence: Sequence, lead_list: LeadList, actor: Actor
) -> EnrollReport:
    """Enroll every lead of a list (see ``enrollments_add``)."""
    if lead_list.workspace_id != sequence.workspace_id:
        raise ValidationFailed.field("list", "Not a list of this workspace.")
    ids = list(lead_list.memberships.values_list("lead_id", flat=True))
    return enrollments_add(sequence=sequence, lead_ids=ids, actor=actor)


def enrollments_add_from_filter(
    *, sequence: Sequence, filters: LeadFilters, actor: Actor
) -> EnrollReport:
    """Enroll every lead the lead table's filters match (see ``enrollments_add``)."""
    ids = list(
        leads_filtered(workspace=sequence.workspace, filters=filters).values_list("id", flat=True)
    )
    return enrollments_add(sequence=sequence, lead_ids=ids, actor=actor)


def _transition(enrollment: Enrollment, *, allowed: set[str], to: str, **changes) -> Enrollment:  # type: ignore[no-untyped-def]
    # Compare-and-set on the status, so a pause racing a send or a reply cannot resurrect it.
    changed = Enrollment.objects.filter(pk=enrollment.pk, status__in=allowed).update(
        status=to, updated_at=timezone.now(), **changes
    )
    if not changed:
        enrollment.refresh_from_db()
        if enrollment.status == to:
            return enrollment
        raise Conflict(f"The enrollment is {enrollment.status}; it cannot become {to}.")
    enrollment.refresh_from_db()
    return enrollment


@transaction.atomic
def enrollment_pause(*, enrollment: Enrollment, reason: str = "") -> Enrollment:
    """Hold the enrollment; nothing is sent until it is resumed."""
    return _transition(
        enrollment,
        allowed={EnrollmentStatus.ACTIVE},
        to=EnrollmentStatus.PAUSED,
        stop_reason=reason,
    )


@transaction.atomic
def enrollment_resume(*, enrollment: Enrollment) -> Enrollment:
    """Continue where it stopped. A step whose message is in flight is not planned again, and a
    step whose delivery is unknown (a worker lost mid-send) is skipped, never resent."""
    now = timezone.now()
    current = enrollment.messages.filter(step_position=enrollment.step_position)
    changes: dict = {"stop_reason": ""}
    if current.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]).exists():
        changes["next_send_at"] = None
    elif current.filter(status__in=[MessageStatus.UNKNOWN, MessageStatus.SENT]).exists():
        changes["step_position"] = enrollment.step_position + 1
        changes["next_send_at"] = now  # the planner finishes it when no step is left
    else:
        changes["next_send_at"] = max(enrollment.next_send_at or now, now)
    return _transition(
        enrollment, allowed={EnrollmentStatus.PAUSED}, to=EnrollmentStatus.ACTIVE, **changes
    )


@transaction.atomic
def enrollment_stop(
    *, enrollment: Enrollment, status: str = EnrollmentStatus.STOPPED, reason: str = ""
) -> Enrollment:
    """End the enrollment for good (stopped by hand, replied, bounced, unsubscribed …)."""
    return _transition(
        enrollment,
        allowed=set(LIVE_STATUSES),
        to=status,
        stop_reason=reason[:500],
        next_send_at=None,
    )


@transaction.atomic
def enrollment_slots_update(*, enrollment: Enrollment, slots: dict[str, str]) -> Enrollment:
    """Set this enrollment's slot1–slot3 (subject, intro line, PS line); a blank one is cleared
    and the lead's own slot, if any, applies again."""
    unknown = set(slots) - SLOT_NAMES
    if unknown:
        raise ValidationFailed.field("slots", f"Slots are {', '.join(sorted(SLOT_NAMES))}.")
    if enrollment.status not in LIVE_STATUSES:
        raise Conflict(f"The enrollment is {enrollment.status}; nothing more will be sent.")
    merged = dict(enrollment.slots or {})
    for name, value in slots.items():
        text = " ".join((value or "").split()) if name == "slot1" else (value or "").strip()
        if len(text) > 2000:
            raise ValidationFailed.field(name, "At most 2,000 characters.")
        if text:
            merged[name] = text
        else:
            merged.pop(name, None)
    Enrollment.objects.filter(pk=enrollment.pk).update(slots=merged, updated_at=timezone.now())
    enrollment.slots = merged
    return enrollment


@transaction.atomic
def enrollment_slots_fill(
    *, enrollment: Enrollment, slots: dict[str, str], overwrite: bool = False
) -> list[str]:
    """Fill slots from a suggestion (an approved AI draft): only the empty ones unless
    ``overwrite``, so a value a person typed or a CSV gave stays. Returns the slots written."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    current = locked.slots or {}
    chosen = {k: v for k, v in slots.items() if overwrite or not (current.get(k) or "").strip()}
    if chosen:
        enrollment_slots_update(enrollment=locked, slots=chosen)
    enrollment.slots = locked.slots
    return sorted(k for k, v in chosen.items() if (v or "").strip())


BULK_ACTIONS = {"pause", "resume", "stop"}


def enrollments_bulk(
    *, sequence: Sequence, enrollment_ids: list[int], action: str
) -> tuple[int, list[tuple[int, str]]]:
    """Pause, resume or stop several enrollments of a sequence; returns how many changed and,
    for the others, why not (each is its own compare-and-set, so one refusal stops nothing)."""
    if action not in BULK_ACTIONS:
        raise ValidationFailed.field("action", f"One of {', '.join(sorted(BULK_ACTIONS))}.")
    changed, refused = 0, []
    for enrollment in sequence.enrollments.filter(pk__in=enrollment_ids).order_by("id"):
        try:
            if action == "pause":
                enrollment_pause(enrollment=enrollment, reason="Paused by hand")
            elif action == "resume":
                enrollment_resume(enrollment=enrollment)
            else:
                enrollment_stop(enrollment=enrollment, reason="Stopped by hand")
        except Conflict as exc:
            refused.append((enrollment.pk, exc.message))
        else:
            changed += 1
    return changed, refused
