"""The exact email of an OutboundMessage: headers, plain-text part, optional HTML part."""

from __future__ import annotations

from email.utils import format_datetime

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from outreach.models import OutboundMessage
from outreach.rendering.compose import unsubscribe_url


def build_email(message: OutboundMessage) -> EmailMultiAlternatives:
    """Every header is set here, so the bytes a preview shows are the bytes that are sent."""
    url = unsubscribe_url(message.unsubscribe_token)
    headers = {
        "Message-ID": message.message_id,
        "Date": format_datetime(timezone.now()),
        # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = message.references or message.in_reply_to
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_header,
        to=[message.to_email],
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email
