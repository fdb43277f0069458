"""Reads of the outreach engine, always scoped to a workspace (another team's row is a 404)."""

from outreach.selectors.records import (
    captured_messages,
    domain_get,
    domains_of,
    enrollment_get,
    enrollments_of,
    mailbox_get,
    mailboxes_of,
    mailboxes_with_inbox,
    message_get,
    sequence_get,
    sequences_of,
    suppressions_of,
)
from outreach.selectors.results import mailbox_today, sequence_results

__all__ = [
    "captured_messages",
    "domain_get",
    "domains_of",
    "enrollment_get",
    "enrollments_of",
    "mailbox_get",
    "mailbox_today",
    "mailboxes_of",
    "mailboxes_with_inbox",
    "message_get",
    "sequence_get",
    "sequence_results",
    "sequences_of",
    "suppressions_of",
]
