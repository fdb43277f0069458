"""The exact email a step would send to an enrolled lead: headers and body, as bytes on the wire."""

from __future__ import annotations

from dataclasses import dataclass

from crm.errors import ValidationFailed
from outreach.models import Enrollment, MessageStatus, OutboundMessage
from outreach.rendering.compose import RenderedEmail, message_fields, render_step, variant_for
from outreach.rendering.templates import MissingValue, TemplateError
from outreach.sending.mime import message_text


@dataclass
class Preview:
    step: int
    variant: str
    subject: str
    body_text: str
    body_html: str
    mime: str


def preview_message(
    *, enrollment: Enrollment, email: RenderedEmail, previous: OutboundMessage | None
) -> OutboundMessage:
    """An unsaved message as the planner would queue it, with a placeholder Message-ID."""
    return OutboundMessage(
        enrollment=enrollment,
        message_id=f"<preview@{enrollment.mailbox.domain.domain}>",
        **message_fields(
            mailbox=enrollment.mailbox, lead=enrollment.lead, email=email, previous=previous
        ),
    )


def enrollment_preview(*, enrollment: Enrollment, step_position: int | None = None) -> Preview:
    """What step ``step_position`` (default: the next one) sends this lead. A step already sent
    shows the stored message; a future one is rendered with the same code the planner uses,
    with a placeholder Message-ID (the real one is made when the step is planned)."""
    steps = list(enrollment.sequence.steps.prefetch_related("variants"))
    position = enrollment.step_position if step_position is None else step_position
    if not 0 <= position < len(steps):
        raise ValidationFailed.field("step", f"The sequence has steps 1 to {len(steps)}.")
    step = steps[position]
    message = (
        enrollment.messages.filter(step_position=position)
        .exclude(status=MessageStatus.CANCELLED)
        .first()
    )
    if message is None:
        variant = variant_for(step, enrollment)
        previous = (
            enrollment.messages.filter(
                status__in=[MessageStatus.SENT, MessageStatus.UNKNOWN], step_position__lt=position
            )
            .order_by("-step_position")
            .first()
            if step.same_thread
            else None
        )
        try:
            email = render_step(
                enrollment=enrollment, step=step, variant=variant, previous=previous
            )
        except (MissingValue, TemplateError) as exc:
            raise ValidationFailed.field("template", str(exc)) from None
        message = preview_message(enrollment=enrollment, email=email, previous=previous)
        message.variant = variant
    mime = message.raw_mime or message_text(message)
    return Preview(
        step=position + 1,
        variant=message.variant.label,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        mime=mime,
    )
