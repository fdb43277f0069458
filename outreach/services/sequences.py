from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from crm.errors import Conflict, ValidationFailed
from crm.models import CustomFieldDefinition, Workspace
from outreach.models import (
    LIVE_STATUSES,
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    Sequence,
    SequenceStatus,
    StepVariant,
)
from outreach.rendering.templates import MissingValue, TemplateError, parse, variables_of
from outreach.rendering.variables import is_known, values_for
from outreach.sending.one_click import one_click_refusal
from outreach.services.steps import (
    step_add,
    step_move,
    step_remove,
    step_update,
    variant_add,
    variant_next_label,
    variant_remove,
    variant_update,
)

SEQUENCE_OPTIONS = {
    "stop_on_reply",
    "stop_company_on_reply",
    "use_lead_timezone",
    "unsubscribe_line",
}


@transaction.atomic
def sequence_create(
    *, workspace: Workspace, name: str, mailboxes: list[Mailbox], options: dict | None = None
) -> Sequence:
    """A draft sequence sending from these mailboxes (enrollments are spread over them)."""
    if not name.strip():
        raise ValidationFailed.field("name", "A sequence needs a name.")
    if any(m.workspace_id != workspace.pk for m in mailboxes):
        raise ValidationFailed.field("mailboxes", "Mailboxes must belong to this workspace.")
    # The unsubscribe line is on unless turned off: a cold email without one reads as spam.
    options = {"unsubscribe_line": True, **(options or {})}
    if set(options) - SEQUENCE_OPTIONS:
        raise ValidationFailed.field(
            "options", f"Known options: {', '.join(sorted(SEQUENCE_OPTIONS))}."
        )
    sequence = Sequence.objects.create(workspace=workspace, name=name.strip(), **options)
    sequence.mailboxes.set(mailboxes)
    return sequence


@transaction.atomic
def sequence_update(
    *,
    sequence: Sequence,
    name: str | None = None,
    mailboxes: list[Mailbox] | None = None,
    options: dict | None = None,
) -> Sequence:
    """Rename, change the sending mailboxes or the options. Enrollments keep their mailbox for
    life, so a mailbox taken off the sequence still sends the leads it already has."""
    if name is not None:
        if not name.strip():
            raise ValidationFailed.field("name", "A sequence needs a name.")
        sequence.name = name.strip()
    options = dict(options or {})
    if set(options) - SEQUENCE_OPTIONS:
        raise ValidationFailed.field(
            "options", f"Known options: {', '.join(sorted(SEQUENCE_OPTIONS))}."
        )
    for key, value in options.items():
        setattr(sequence, key, bool(value))
    if mailboxes is not None:
        if any(m.workspace_id != sequence.workspace_id for m in mailboxes):
            raise ValidationFailed.field("mailboxes", "Mailboxes must belong to this workspace.")
        sequence.mailboxes.set(mailboxes)
    sequence.save()
    return sequence


@dataclass(frozen=True)
class LeadGap:
    """An enrolled lead whose values are empty for variables that have no fallback."""

    enrollment_id: int
    lead_id: int
    lead_name: str
    missing: list[str]


def sequence_problems(*, sequence: Sequence) -> dict[str, list[str]]:
    """What stops the sequence from going live: missing parts, unknown variables, and leads
    whose values are empty for a variable without a fallback (listed by lead)."""
    errors: dict[str, list[str]] = {}
    steps = list(sequence.steps.prefetch_related("variants"))
    if not steps:
        errors.setdefault("steps", []).append("Add at least one step.")
    mailboxes = list(sequence.mailboxes.order_by("address"))
    if not mailboxes:
        errors.setdefault("mailboxes", []).append("Pick at least one mailbox to send from.")
    for mailbox in mailboxes:
        refusal = one_click_refusal(mailbox)
        if refusal:
            errors.setdefault("mailboxes", []).append(refusal)
    custom = set(
        CustomFieldDefinition.objects.filter(workspace_id=sequence.workspace_id).values_list(
            "key", flat=True
        )
    )
    required: set[str] = set()
    for step in steps:
        for variant in step.variants.all():
            where = f"step {step.position + 1} {variant.label}"
            for text in (variant.subject, variant.body, variant.body_html):
                for var in variables_of(parse(text)):
                    if not is_known(var.name, custom):
                        errors.setdefault("variables", []).append(
                            f"{where}: unknown variable {{{{{var.name}}}}}"
                        )
                    elif var.fallback is None:
                        required.add(var.name)
    for gap in _lead_gaps(sequence, required):
        errors.setdefault("leads", []).append(
            f"lead {gap.lead_id} ({gap.lead_name}): no {', '.join(gap.missing)}"
        )
    return errors


def _required_variables(sequence: Sequence) -> set[str]:
    required: set[str] = set()
    for variant in StepVariant.objects.filter(step__sequence=sequence):
        for text in (variant.subject, variant.body, variant.body_html):
            try:
                nodes = parse(text)
            except TemplateError:
                continue
            required.update(v.name for v in variables_of(nodes) if v.fallback is None)
    return required


def sequence_lead_gaps(*, sequence: Sequence) -> list[LeadGap]:
    """The live enrollments activation would refuse for, with the variables each lacks."""
    return list(_lead_gaps(sequence, _required_variables(sequence)))


def _lead_gaps(sequence: Sequence, required: set[str]) -> Iterator[LeadGap]:
    if not required:
        return
    enrollments = Enrollment.objects.filter(
        sequence=sequence, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED]
    ).select_related("lead__company", "mailbox")
    for enrollment in enrollments.order_by("id").iterator(chunk_size=500):
        values = values_for(lead=enrollment.lead, enrollment=enrollment, mailbox=enrollment.mailbox)
        empty = sorted(n for n in required if not (values.get(n) or "").strip())
        if empty:
            yield LeadGap(enrollment.pk, enrollment.lead_id, str(enrollment.lead), empty)


@transaction.atomic
def sequence_activate(*, sequence: Sequence) -> Sequence:
    """Go live, or refuse with every problem listed (see ``sequence_problems``)."""
    if sequence.status == SequenceStatus.ARCHIVED:
        raise Conflict("This sequence was stopped for good; create a new one to start again.")
    errors = sequence_problems(sequence=sequence)
    if errors:
        raise ValidationFailed("The sequence cannot be activated yet.", errors=errors)
    sequence.status = SequenceStatus.ACTIVE
    sequence.save(update_fields=["status"])
    return sequence


@transaction.atomic
def sequence_pause(*, sequence: Sequence) -> Sequence:
    """Hold every enrollment of the sequence; messages already queued are cancelled at send."""
    sequence.status = SequenceStatus.PAUSED
    sequence.save(update_fields=["status"])
    return sequence


def sequence_resume(*, sequence: Sequence) -> Sequence:
    """Continue a paused sequence (activation checks run again)."""
    return sequence_activate(sequence=sequence)


@transaction.atomic
def sequence_stop(*, sequence: Sequence, reason: str = "Sequence stopped") -> int:
    """End the sequence for good: every live enrollment stops and it takes no new leads.
    Returns how many enrollments were stopped."""
    sequence.status = SequenceStatus.ARCHIVED
    sequence.save(update_fields=["status"])
    return Enrollment.objects.filter(sequence=sequence, status__in=LIVE_STATUSES).update(
        status=EnrollmentStatus.STOPPED,
        stop_reason=reason[:500],
        next_send_at=None,
        updated_at=timezone.now(),
    )


# The step editors live in outreach.services.steps; named here too for older imports.
__all__ = [
    "MissingValue",
    "step_add",
    "step_move",
    "step_remove",
    "step_update",
    "variant_add",
    "variant_next_label",
    "variant_remove",
    "variant_update",
]
