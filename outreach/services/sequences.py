from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from crm.errors import Conflict, ValidationFailed
from crm.models import CustomFieldDefinition, Workspace
from outreach.models import (
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    Sequence,
    SequenceStatus,
    Step,
    StepVariant,
)
from outreach.rendering.templates import MissingValue, TemplateError, parse, variables_of
from outreach.rendering.variables import is_known, values_for

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
    options = dict(options or {})
    if set(options) - SEQUENCE_OPTIONS:
        raise ValidationFailed.field(
            "options", f"Known options: {', '.join(sorted(SEQUENCE_OPTIONS))}."
        )
    sequence = Sequence.objects.create(workspace=workspace, name=name.strip(), **options)
    sequence.mailboxes.set(mailboxes)
    return sequence


@transaction.atomic
def step_add(
    *,
    sequence: Sequence,
    subject: str,
    body: str,
    body_html: str = "",
    delay_days: int = 0,
    business_days: bool = False,
    same_thread: bool = False,
) -> Step:
    """Append a step with its first variant ("A"); templates are checked for syntax now."""
    last = sequence.steps.aggregate(m=Max("position"))["m"]
    position = 0 if last is None else last + 1
    if same_thread and position == 0:
        raise ValidationFailed.field("same_thread", "The first step starts the thread.")
    step = Step.objects.create(
        sequence=sequence,
        position=position,
        delay_days=delay_days,
        business_days=business_days,
        same_thread=same_thread,
    )
    variant_add(step=step, label="A", subject=subject, body=body, body_html=body_html)
    return step


@transaction.atomic
def variant_add(
    *, step: Step, label: str, subject: str, body: str, body_html: str = ""
) -> StepVariant:
    """An A/B variant of a step; enrollments are split evenly between variants."""
    for field, text in (("subject", subject), ("body", body), ("body_html", body_html)):
        try:
            parse(text)
        except TemplateError as exc:
            raise ValidationFailed.field(field, str(exc)) from None
    if not body.strip() and not body_html.strip():
        raise ValidationFailed.field("body", "An email needs a body.")
    if not step.same_thread and not subject.strip():
        raise ValidationFailed.field("subject", "An email that starts a thread needs a subject.")
    if step.variants.filter(label=label).exists():
        raise Conflict(f"Variant {label} already exists.")
    return StepVariant.objects.create(
        step=step, label=label, subject=subject, body=body, body_html=body_html
    )


def sequence_problems(*, sequence: Sequence) -> dict[str, list[str]]:
    """What stops the sequence from going live: missing parts, unknown variables, and leads
    whose values are empty for a variable without a fallback (listed by lead)."""
    errors: dict[str, list[str]] = {}
    steps = list(sequence.steps.prefetch_related("variants"))
    if not steps:
        errors.setdefault("steps", []).append("Add at least one step.")
    if not sequence.mailboxes.exists():
        errors.setdefault("mailboxes", []).append("Pick at least one mailbox to send from.")
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
    if required:
        enrollments = Enrollment.objects.filter(
            sequence=sequence, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED]
        ).select_related("lead__company", "mailbox")
        for enrollment in enrollments.iterator(chunk_size=500):
            values = values_for(
                lead=enrollment.lead, enrollment=enrollment, mailbox=enrollment.mailbox
            )
            empty = sorted(n for n in required if not (values.get(n) or "").strip())
            if empty:
                errors.setdefault("leads", []).append(
                    f"lead {enrollment.lead_id} ({enrollment.lead}): no {', '.join(empty)}"
                )
    return errors


@transaction.atomic
def sequence_activate(*, sequence: Sequence) -> Sequence:
    """Go live, or refuse with every problem listed (see ``sequence_problems``)."""
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


__all__ = ["MissingValue"]
