"""The live preview of the step editor: text not saved yet, rendered for an enrolled lead or a
sample one, with the same renderer and MIME builder the planner and the sender use."""

from __future__ import annotations

import email
from dataclasses import dataclass, field
from email import policy

from crm.models import Company, CustomFieldDefinition, Lead
from outreach.models import (
    Enrollment,
    Mailbox,
    MessageStatus,
    OutboundMessage,
    SendingDomain,
    Sequence,
    Step,
    StepVariant,
)
from outreach.rendering.compose import render_step
from outreach.rendering.preview import Preview, preview_message
from outreach.rendering.templates import MissingValue, TemplateError, parse, render, variables_of
from outreach.rendering.variables import is_known, values_for
from outreach.sending.mime import message_text

SAMPLE_SLOTS = {
    "slot1": "your SDR hiring push",
    "slot2": "Loved your post on building an outbound team from scratch.",
    "slot3": "PS: we helped a team like yours book 40 meetings in a month.",
}


@dataclass
class Draft:
    """What the editor's form holds right now."""

    position: int
    same_thread: bool
    subject: str
    body: str
    body_html: str = ""
    label: str = "A"


@dataclass
class DraftPreview:
    lead_label: str
    errors: list[str] = field(default_factory=list)
    preview: Preview | None = None

    @property
    def headers(self) -> list[tuple[str, str]]:
        """The headers a reader sees, in the order they are sent (MIME plumbing left out)."""
        if self.preview is None:
            return []
        parsed = email.message_from_string(self.preview.mime, policy=policy.default)
        return [
            (name, str(value))
            for name, value in parsed.items()
            if not name.lower().startswith(("content-", "mime-"))
        ]


def sample_lead(sequence: Sequence) -> Lead:
    """A made-up lead with every standard value and slot filled (never saved)."""
    company = Company(
        workspace_id=sequence.workspace_id,
        name="Northwind Labs",
        domain="northwind.example",
        website="https://northwind.example",
        industry="Software",
    )
    return Lead(
        pk=0,  # never saved; 0 keeps the sample's unsubscribe link well-formed
        workspace_id=sequence.workspace_id,
        first_name="Alex",
        last_name="Sample",
        email="alex.sample@northwind.example",
        title="Head of Sales",
        city="Lyon",
        country="France",
        company=company,
        slots=dict(SAMPLE_SLOTS),
    )


def _sender(sequence: Sequence) -> Mailbox:
    mailbox = sequence.mailboxes.select_related("domain").order_by("id").first()
    if mailbox is not None:
        return mailbox
    domain = SendingDomain(workspace_id=sequence.workspace_id, domain="example.com")
    return Mailbox(workspace_id=sequence.workspace_id, domain=domain, address="you@example.com")


def _template_errors(sequence: Sequence, draft: Draft) -> list[str]:
    custom = set(
        CustomFieldDefinition.objects.filter(workspace_id=sequence.workspace_id).values_list(
            "key", flat=True
        )
    )
    errors = []
    for name, text in (("Subject", draft.subject), ("Body", draft.body), ("HTML", draft.body_html)):
        try:
            nodes = parse(text)
        except TemplateError as exc:
            errors.append(f"{name}: {exc}")
            continue
        for var in variables_of(nodes):
            if not is_known(var.name, custom):
                errors.append(f"{name}: unknown variable {{{{{var.name}}}}}")
    if not draft.body.strip() and not draft.body_html.strip():
        errors.append("Body: an email needs a body.")
    if draft.same_thread and draft.position == 0:
        errors.append("The first step starts the thread: it cannot reply in one.")
    if not draft.same_thread and not draft.subject.strip():
        errors.append("Subject: an email that starts a thread needs a subject.")
    return errors


def _unknown_names(errors: list[str]) -> set[str]:
    marker = "unknown variable {{"
    return {e.split(marker, 1)[1].rstrip("}") for e in errors if marker in e}


def _missing_values(enrollment: Enrollment, draft: Draft, *, unknown: set[str]) -> list[str]:
    """Known variables without fallback that are empty for this lead, all at once."""
    values = values_for(lead=enrollment.lead, enrollment=enrollment, mailbox=enrollment.mailbox)
    texts = [draft.body, draft.body_html]
    if not draft.same_thread or draft.position == 0:
        texts.append(draft.subject)  # a same-thread subject is "Re:" the thread's, not this
    missing: set[str] = set()
    for text in texts:
        try:
            nodes = parse(text)
        except TemplateError:
            continue
        for var in variables_of(nodes):
            if var.fallback is None and not (values.get(var.name) or "").strip():
                missing.add(var.name)
    return sorted(missing - unknown)


def _thread_start(
    sequence: Sequence, enrollment: Enrollment, position: int
) -> OutboundMessage | None:
    """The email a same-thread step replies to: the one really sent, else the earlier step that
    starts the thread rendered for this lead (with a placeholder Message-ID)."""
    if enrollment.pk is not None:
        sent = (
            enrollment.messages.filter(
                status__in=[MessageStatus.SENT, MessageStatus.UNKNOWN], step_position__lt=position
            )
            .order_by("-step_position")
            .first()
        )
        if sent is not None:
            return sent
    earlier = list(sequence.steps.filter(position__lt=position).prefetch_related("variants"))
    starter = next((s for s in reversed(earlier) if not s.same_thread), None)
    if starter is None:
        return None
    variants = list(starter.variants.all())
    if not variants:
        return None
    variant = variants[(enrollment.pk or 0) % len(variants)]
    values = values_for(lead=enrollment.lead, enrollment=enrollment, mailbox=enrollment.mailbox)
    try:
        subject = render(
            parse(variant.subject), values, seed=f"{enrollment.pk}:{starter.pk}:subject"
        )
    except (MissingValue, TemplateError):
        subject = variant.subject
    domain = enrollment.mailbox.domain.domain
    return OutboundMessage(subject=subject, message_id=f"<step-{starter.position + 1}@{domain}>")


def draft_preview(
    *,
    sequence: Sequence,
    draft: Draft,
    enrollment: Enrollment | None = None,
    step_id: int | None = None,
) -> DraftPreview:
    """Render ``draft`` as step ``draft.position`` for ``enrollment`` (None: the sample lead).

    Unknown variables and template mistakes are listed and the email is still shown when it
    can be; a value the lead lacks (no fallback) is listed instead of an email.
    """
    if enrollment is None:
        enrollment = Enrollment(
            workspace_id=sequence.workspace_id,
            sequence=sequence,
            lead=sample_lead(sequence),
            mailbox=_sender(sequence),
        )
        label = "Sample lead: Alex Sample, Northwind Labs"
    else:
        label = f"{enrollment.lead} ({enrollment.lead.email or 'no email'})"
    result = DraftPreview(lead_label=label, errors=_template_errors(sequence, draft))
    step = Step(
        pk=step_id, sequence=sequence, position=draft.position, same_thread=draft.same_thread
    )
    variant = StepVariant(
        step=step,
        label=draft.label,
        subject=draft.subject,
        body=draft.body,
        body_html=draft.body_html,
    )
    previous = _thread_start(sequence, enrollment, draft.position) if draft.same_thread else None
    lacking = _missing_values(enrollment, draft, unknown=_unknown_names(result.errors))
    if lacking:
        result.errors.append(
            f"{enrollment.lead} has no {', '.join(lacking)} and the template gives no fallback: "
            f"fill it on the enrollment or write {{{{{lacking[0]}|…}}}}."
        )
    try:
        email = render_step(enrollment=enrollment, step=step, variant=variant, previous=previous)
    except MissingValue:
        return result  # listed above (or an unknown variable, listed by _template_errors)
    except TemplateError:
        return result  # already listed by _template_errors, with the field it is in
    message = preview_message(enrollment=enrollment, email=email, previous=previous)
    result.preview = Preview(
        step=draft.position + 1,
        variant=draft.label,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        mime=message_text(message),
    )
    return result
