"""The "test connection" action of a mailbox: log in to SMTP and IMAP, report what happened.

The report is in our own words (never a server's banner or error text), and only servers at
addresses the public-address rule allows are dialled, so the test cannot probe internal ports.
"""

from __future__ import annotations

from dataclasses import dataclass

from outreach.inbox.sync import InboxUnavailable, imap_connect
from outreach.models import Mailbox, Transport
from outreach.sending.transport import DeliveryError, close, open_connection


@dataclass
class ConnectionReport:
    smtp_ok: bool
    smtp_message: str
    imap_ok: bool
    imap_message: str


def mailbox_test_connection(*, mailbox: Mailbox) -> ConnectionReport:
    """Log in to both servers with the stored settings; nothing is sent or read."""
    if mailbox.transport == Transport.CAPTURE:
        smtp_ok, smtp_message = True, "Capture mode: nothing is sent, no SMTP server is used."
    else:
        try:
            open_connection(mailbox)
            smtp_ok, smtp_message = True, "Logged in."
        except DeliveryError as exc:
            smtp_ok, smtp_message = False, exc.message
        finally:
            close(mailbox.pk)
    if not mailbox.imap_host:
        return ConnectionReport(
            smtp_ok, smtp_message, False, "No IMAP server set: replies are not read."
        )
    try:
        imap = imap_connect(mailbox)
        imap.logout()
        return ConnectionReport(smtp_ok, smtp_message, True, "Logged in.")
    except InboxUnavailable as exc:
        return ConnectionReport(smtp_ok, smtp_message, False, exc.message)
