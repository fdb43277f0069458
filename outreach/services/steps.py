"""Editing a sequence's steps and their A/B variants: add, change, reorder, remove.

Steps a lead has already received are fixed in place (the planner and the results count on their
position); their text can still change for the leads still to come.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max

from crm.errors import Conflict, ValidationFailed
from outreach.models import Enrollment, Sequence, Step, StepVariant
from outreach.rendering.templates import TemplateError, parse


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
    _check_templates(subject=subject, body=body, body_html=body_html, same_thread=step.same_thread)
    label = label.strip()
    if not label or len(label) > 10:
        raise ValidationFailed.field("label", "A label of 1 to 10 characters, e.g. B.")
    if step.variants.filter(label=label).exists():
        raise Conflict(f"Variant {label} already exists.")
    return StepVariant.objects.create(
        step=step, label=label, subject=subject, body=body, body_html=body_html
    )


def _check_templates(*, subject: str, body: str, body_html: str, same_thread: bool) -> None:
    for field, text in (("subject", subject), ("body", body), ("body_html", body_html)):
        try:
            parse(text)
        except TemplateError as exc:
            raise ValidationFailed.field(field, str(exc)) from None
    if not body.strip() and not body_html.strip():
        raise ValidationFailed.field("body", "An email needs a body.")
    if not same_thread and not subject.strip():
        raise ValidationFailed.field("subject", "An email that starts a thread needs a subject.")


def _locked_steps(sequence: Sequence) -> list[Step]:
    # Locks the sequence row so two editors reordering at once take turns.
    Sequence.objects.select_for_update().filter(pk=sequence.pk).first()
    return list(sequence.steps.order_by("position"))


def _refuse_if_sent(step: Step, doing: str) -> None:
    sent = step.messages.count()
    if sent:
        raise Conflict(
            f"Step {step.position + 1} has already gone to {sent} lead{'s' if sent != 1 else ''}; "
            f"it cannot be {doing}. Edit its text, or add a new step instead."
        )


@transaction.atomic
def step_update(
    *,
    step: Step,
    delay_days: int | None = None,
    business_days: bool | None = None,
    same_thread: bool | None = None,
) -> Step:
    """Change when a step goes and whether it replies in the thread of the previous email."""
    if delay_days is not None:
        if not 0 <= delay_days <= 365:
            raise ValidationFailed.field("delay_days", "Between 0 and 365 days.")
        step.delay_days = delay_days
    if business_days is not None:
        step.business_days = business_days
    if same_thread is not None:
        if same_thread and step.position == 0:
            raise ValidationFailed.field("same_thread", "The first step starts the thread.")
        if not same_thread and step.variants.filter(subject="").exists():
            raise ValidationFailed.field(
                "subject", "Give every variant a subject before it starts its own thread."
            )
        step.same_thread = same_thread
    step.save()
    return step


@transaction.atomic
def step_move(*, step: Step, direction: int) -> Step:
    """Swap a step with its neighbour (``direction`` -1 = earlier, +1 = later). Steps already
    sent stay where they are: leads in the sequence count on that order."""
    if direction not in (-1, 1):
        raise ValidationFailed.field("direction", "Move by one: -1 or 1.")
    steps = _locked_steps(step.sequence)
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other_index = index + direction
    if not 0 <= other_index < len(steps):
        raise ValidationFailed.field("direction", "The step is already at that end.")
    step, other = steps[index], steps[other_index]
    _refuse_if_sent(step, "moved")
    _refuse_if_sent(other, "moved")
    first = other if direction == 1 else step  # the step that becomes first of the two
    if first.same_thread and min(step.position, other.position) == 0:
        raise ValidationFailed.field(
            "same_thread", "The first step starts the thread: untick 'same thread' first."
        )
    # Through a free position: (sequence, position) is unique at every moment.
    a, b = step.position, other.position
    Step.objects.filter(pk=step.pk).update(position=32000)
    Step.objects.filter(pk=other.pk).update(position=a)
    Step.objects.filter(pk=step.pk).update(position=b)
    step.refresh_from_db()
    return step


@transaction.atomic
def step_remove(*, step: Step) -> None:
    """Delete a step no lead has received; later steps move up one place."""
    steps = _locked_steps(step.sequence)
    step = next(s for s in steps if s.pk == step.pk)
    _refuse_if_sent(step, "removed")
    later = [s for s in steps if s.position > step.position]
    if step.position == 0 and later and later[0].same_thread:
        raise ValidationFailed.field(
            "same_thread",
            "The next step replies in this step's thread: untick its 'same thread' first.",
        )
    position = step.position
    step.delete()
    for s in later:  # ascending, each into the place just freed
        Step.objects.filter(pk=s.pk).update(position=s.position - 1)
    # Leads waiting for a later step still wait for that same email, one place earlier.
    Enrollment.objects.filter(sequence_id=step.sequence_id, step_position__gt=position).update(
        step_position=F("step_position") - 1
    )


def variant_next_label(*, step: Step) -> str:
    """The first free letter, so variants read A, B, C … even after one is removed."""
    taken = set(step.variants.values_list("label", flat=True))
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if letter not in taken:
            return letter
    raise Conflict("A step has at most 26 variants.")


@transaction.atomic
def variant_update(
    *, variant: StepVariant, subject: str, body: str, body_html: str = ""
) -> StepVariant:
    """New text for a variant; what was already sent keeps the text it went with."""
    _check_templates(
        subject=subject, body=body, body_html=body_html, same_thread=variant.step.same_thread
    )
    variant.subject, variant.body, variant.body_html = subject, body, body_html
    variant.save(update_fields=["subject", "body", "body_html"])
    return variant


@transaction.atomic
def variant_remove(*, variant: StepVariant) -> None:
    """Drop an A/B variant nobody has received; a step keeps at least one."""
    if variant.step.variants.count() <= 1:
        raise Conflict("A step needs at least one variant.")
    sent = variant.messages.count()
    if sent:
        raise Conflict(
            f"Variant {variant.label} has already gone to {sent} lead{'s' if sent != 1 else ''}."
        )
    variant.delete()


@transaction.atomic
def step_save(
    *,
    step: Step,
    variant: StepVariant,
    delay_days: int,
    business_days: bool,
    same_thread: bool,
    subject: str,
    body: str,
    body_html: str = "",
) -> Step:
    """The editor's save: a step's timing and one variant's text, checked together (unticking
    "same thread" and writing the subject it then needs are one change)."""
    if variant.step_id != step.pk:
        raise ValidationFailed.field("variant", "Not a variant of this step.")
    if not 0 <= delay_days <= 365:
        raise ValidationFailed.field("delay_days", "Between 0 and 365 days.")
    if same_thread and step.position == 0:
        raise ValidationFailed.field("same_thread", "The first step starts the thread.")
    _check_templates(subject=subject, body=body, body_html=body_html, same_thread=same_thread)
    if not same_thread and step.variants.exclude(pk=variant.pk).filter(subject="").exists():
        raise ValidationFailed.field(
            "same_thread", "Give every variant a subject before this step starts its own thread."
        )
    step.delay_days, step.business_days, step.same_thread = delay_days, business_days, same_thread
    step.save(update_fields=["delay_days", "business_days", "same_thread"])
    variant.subject, variant.body, variant.body_html = subject, body, body_html
    variant.save(update_fields=["subject", "body", "body_html"])
    return step
