"""Whether a mailbox may send mail that carries a List-Unsubscribe link (sequences, and later
playbooks with email steps and cold 1:1 emails; a reply in a conversation carries none).

RFC 8058 one-click unsubscribe needs an https URL, and Gmail and Yahoo require one-click from
bulk senders: mail whose link is plain http would go out looking like spam, and a mail filter
could not honour it. So while ``SITE_URL`` is not https such mail does not leave an SMTP
mailbox. Capture mailboxes send nothing and keep working, so a demo runs on plain http.

The one rule for activation (``sequence_problems``), the planner and the sender.
"""

from __future__ import annotations

from django.conf import settings

from outreach.models import Mailbox, Transport


def one_click_refusal(mailbox: Mailbox) -> str:
    """Why ``mailbox`` may not send mail with an unsubscribe link now; "" when it may."""
    if mailbox.transport == Transport.CAPTURE or settings.SITE_URL.startswith("https://"):
        return ""
    return (
        f"{mailbox.address} sends over SMTP, but unsubscribe links would point to "
        f"{settings.SITE_URL}, which is not https: one-click unsubscribe (RFC 8058), which "
        "Gmail and Yahoo require, needs an https link. Set SITE_URL to this Kindling's https "
        "address, or switch the mailbox to capture."
    )
