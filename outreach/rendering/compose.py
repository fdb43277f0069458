"""What one step of a sequence says to one lead: the same function for previews and sends."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from crm.models import Lead
from outreach.models import Enrollment, Mailbox, OutboundMessage, Step, StepVariant
from outreach.rendering.html_document import html_document
from outreach.rendering.html_text import html_to_text
from outreach.rendering.templates import MissingValue, parse, render
from outreach.rendering.variables import values_for

UNSUBSCRIBE_SALT = "outreach.unsubscribe"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str
    unsubscribe_token: str

    @property
    def unsubscribe_url(self) -> str:
        return unsubscribe_url(self.unsubscribe_token)


def unsubscribe_token(*, workspace_id: int, lead_id: int) -> str:
    """A short signed token naming the workspace and the lead (``1.42.<signature>``).

    Short on purpose: it lives in a ``List-Unsubscribe`` header, and mail clients read short
    headers best. It never expires: an old email's link must keep working.
    """
    value = f"{workspace_id}.{lead_id}"
    return f"{value}.{_signature(value)}"


def unsubscribe_token_read(token: str) -> tuple[int, int] | None:
    """``(workspace_id, lead_id)`` of a genuine token, else None."""
    value, _, signature = token.rpartition(".")
    if not value or not constant_time_compare(signature, _signature(value)):
        return None
    workspace_id, _, lead_id = value.partition(".")
    if not (workspace_id.isdigit() and lead_id.isdigit()):
        return None
    return int(workspace_id), int(lead_id)


def _signature(value: str) -> str:
    digest = salted_hmac(UNSUBSCRIBE_SALT, value, algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def unsubscribe_url(token: str) -> str:
    return f"{settings.SITE_URL}/u/{token}/"


def variant_for(step: Step, enrollment: Enrollment) -> StepVariant:
    """An even A/B split that never changes for an enrollment (previews stay true)."""
    variants = list(step.variants.all())
    if not variants:
        raise ValueError(f"{step} has no email to send")
    return variants[enrollment.pk % len(variants)]


def thread_subject(subject: str) -> str:
    bare = subject
    while bare[:3].lower() == "re:":
        bare = bare[3:].lstrip()
    return f"Re: {bare}"


def render_step(
    *,
    enrollment: Enrollment,
    step: Step,
    variant: StepVariant,
    previous: OutboundMessage | None,
) -> RenderedEmail:
    """Subject and bodies for this enrollment's step; raises MissingValue/TemplateError."""
    lead, mailbox, sequence = enrollment.lead, enrollment.mailbox, enrollment.sequence
    values = values_for(lead=lead, enrollment=enrollment, mailbox=mailbox)
    seed = f"{enrollment.pk}:{step.pk}"
    if step.same_thread and previous is not None:
        subject = thread_subject(previous.subject)
    else:
        subject = render(parse(variant.subject), values, seed=f"{seed}:subject")
    if not subject.strip():
        raise MissingValue(["subject"])  # a follow-up with no earlier email to thread onto
    token = unsubscribe_token(workspace_id=enrollment.workspace_id, lead_id=lead.pk)
    body_html = ""
    if variant.body_html.strip():
        body_html = render(
            parse(variant.body_html), values, seed=f"{seed}:body", escape=html.escape
        )
    if variant.body.strip():
        body_text = render(parse(variant.body), values, seed=f"{seed}:body")
    else:
        body_text = html_to_text(body_html)
    subject = " ".join(subject.split())  # no header injection through a lead's data
    url = unsubscribe_url(token)
    footer = _footer(mailbox.signature, sequence.unsubscribe_line, url)
    if footer:
        body_text = f"{body_text.rstrip()}\n\n{footer}\n"
    if body_html:
        footer_html = _footer_html(mailbox.signature, sequence.unsubscribe_line, url)
        body_html = html_document(body_html, footer=footer_html, title=subject)
    return RenderedEmail(
        subject=subject, body_text=body_text, body_html=body_html, unsubscribe_token=token
    )


def message_fields(
    *, mailbox: Mailbox, lead: Lead, email: RenderedEmail, previous: OutboundMessage | None
) -> dict[str, str]:
    """The OutboundMessage fields a rendered step fills: thread headers, addresses, content.

    One mapping for the planner and both previews, so a preview is the message that is sent.
    """
    references = ""
    if previous is not None:
        references = " ".join(filter(None, [previous.references, previous.message_id]))
    return {
        "in_reply_to": previous.message_id if previous else "",
        "references": references,
        "from_header": mailbox.from_header,
        "to_email": lead.email or "",
        "subject": email.subject,
        "body_text": email.body_text,
        "body_html": email.body_html,
        "unsubscribe_token": email.unsubscribe_token,
    }


def _footer(signature: str, with_unsubscribe: bool, url: str) -> str:
    parts = [signature.strip()] if signature.strip() else []
    if with_unsubscribe:
        parts.append(f"Not interested? Unsubscribe: {url}")
    return "\n\n".join(parts)


def _footer_html(signature: str, with_unsubscribe: bool, url: str) -> str:
    """The same footer in HTML: the signature's lines kept, the unsubscribe URL a link."""
    parts = [html.escape(signature.strip()).replace("\n", "<br>\n")] if signature.strip() else []
    if with_unsubscribe:
        parts.append(f'Not interested? <a href="{html.escape(url)}">Unsubscribe</a>')
    return "<br><br>\n".join(parts)
