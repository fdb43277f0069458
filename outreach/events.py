"""The outreach app's event types: what happens to the emails of a sequence."""

from __future__ import annotations

from typing import Any

from crm.actors import Actor
from crm.events import event_record, event_type_register
from crm.events.examples import LEAD_EXAMPLE
from crm.models import Lead

SYSTEM = {"type": "system", "user_id": None, "name": "sequence"}
MESSAGE_EXAMPLE = {
    "message_id": "<k.8f2c1e@mail.example.com>",
    "subject": "Quick question about Analytical Engines",
    "sequence_id": 4,
    "enrollment_id": 1201,
    "step": 2,
    "mailbox": "sam@mail.example.com",
}


def register() -> None:
    def example(**own: Any) -> dict[str, Any]:
        return {"lead": LEAD_EXAMPLE, **own, "actor": SYSTEM}

    event_type_register(
        "email.sent",
        description="A sequence email left the mailbox (the SMTP server accepted it).",
        subject="lead",
        example=example(email=MESSAGE_EXAMPLE),
    )
    event_type_register(
        "email.replied",
        description="A lead answered; their sequences stop (stop-on-reply). `category` is what "
        "the reply meant (see reply.categorized).",
        subject="lead",
        example=example(
            reply={
                "message_id": "<CAF+reply@mail.gmail.com>",
                "subject": "Re: Quick question",
                "in_reply_to": MESSAGE_EXAMPLE["message_id"],
                "category": "meeting_request",
            }
        ),
    )
    event_type_register(
        "reply.categorized",
        description="Inbox sync categorized an email from a lead: interested, meeting_request, "
        "not_interested, out_of_office, wrong_person, unsubscribe, bounce, or unsure (needs a "
        "person or the AI). `by` says who decided (rules or ai); `confidence` is the rules' "
        "(0 to 1); `guess` is what the rules leaned to when unsure.",
        subject="lead",
        example=example(
            reply={
                "inbound_id": 311,
                "message_id": "<CAF+reply@mail.gmail.com>",
                "category": "wrong_person",
                "confidence": 0.85,
                "by": "rules",
                "referred_email": "grace@example.com",
                "guess": "",
            }
        ),
    )
    event_type_register(
        "email.bounced",
        description="A delivery report said an email could not be delivered (hard or soft).",
        subject="lead",
        example=example(bounce={"hard": True, "status": "5.1.1", "address": "ada@example.com"}),
    )
    event_type_register(
        "email.unsubscribed",
        description="A lead unsubscribed (one-click link, confirmation page or by reply).",
        subject="lead",
        example=example(unsubscribe={"by": "link", "address": "ada@example.com"}),
    )
    event_type_register(
        "enrollment.finished",
        description="A lead went through every step of a sequence.",
        subject="lead",
        example=example(enrollment={"id": 1201, "sequence_id": 4, "status": "finished"}),
    )


def email_event_record(
    *, type: str, lead: Lead | int, workspace_id: int, actor: Actor, data: dict[str, Any]
) -> None:
    """Record an email event; the lead is built when it is delivered (keeps the send path fast)."""
    event_record(
        type=type,
        workspace_id=workspace_id,
        actor=actor,
        subject_id=lead if isinstance(lead, int) else lead.pk,
        data=data,
        snapshot=False,
    )
