"""The exact email of an OutboundMessage: headers, plain-text part, optional HTML part.

The bytes are stored before the transport is called, so they must be what any server accepts,
whether or not it offers 8BITMIME (RFC 6152): every message is 7-bit clean. A text part that is
not plain ASCII, or has a line over 78 characters, goes quoted-printable; headers are encoded by
the email package (RFC 2047) and folded at 78 characters where they have room to fold. A domain
goes as punycode, in the headers and in the envelope alike.

The one exception is an address with non-ASCII characters before the @: no encoding can carry
it, so that message is built for SMTPUTF8 (RFC 6531: UTF-8 headers, still quoted-printable
bodies) and the transport sends it only to a server that offers SMTPUTF8.
"""

from __future__ import annotations

import re
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone
from django.utils.encoding import punycode

from outreach.models import Enrollment, OutboundMessage
from outreach.rendering.compose import unsubscribe_url

LINE_LIMIT = 78
# refold_source="none": headers set with ``set_raw`` keep the folding given here. The email
# package would fold a line it cannot break (a long URL or Message-ID) into RFC 2047 encoded
# words, which breaks List-Unsubscribe and threading.
SEVEN_BIT = policy.SMTP.clone(max_line_length=LINE_LIMIT, refold_source="none")
SMTPUTF8 = policy.SMTPUTF8.clone(max_line_length=LINE_LIMIT, refold_source="none")

# Printable ASCII and tab: a line of only these, 78 characters at most, may go as 7bit.
_NOT_7BIT = re.compile(r"[^\t\x20-\x7e]")


def build_email(message: OutboundMessage) -> EmailMessage:
    """Every header is set here, so the bytes a preview shows are the bytes that are sent."""
    email = email_message(
        from_header=message.from_header,
        to=message.to_email,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
    )
    email.set_raw("Message-ID", message.message_id)
    if message.in_reply_to:
        email.set_raw("In-Reply-To", message.in_reply_to)
        email.set_raw("References", _folded(message.references or message.in_reply_to))
    sequence_id = _sequence_id(message)
    if sequence_id is not None:
        # RFC 2919: one list per sequence, named under the domain of the From address.
        domain = email["From"].addresses[0].domain
        email.set_raw("List-Id", f"<sequence-{sequence_id}.{domain}>")
    # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the URL.
    email.set_raw("List-Unsubscribe", f"<{unsubscribe_url(message.unsubscribe_token)}>")
    email.set_raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    return email


def email_message(
    *, from_header: str, to: str, subject: str, body_text: str, body_html: str = ""
) -> EmailMessage:
    """A 7-bit clean message (SMTPUTF8 only for a non-ASCII local part) with a Date header.

    ``to`` is one bare address; empty, the message has no To (a preview for a lead without
    an email address: such a lead is never sent to).
    """
    sender = _sender(from_header)
    recipient = _recipient(to) if to.strip() else None
    addresses = [sender] if recipient is None else [sender, recipient]
    utf8 = not all(address.username.isascii() for address in addresses)
    email = EmailMessage(policy=SMTPUTF8 if utf8 else SEVEN_BIT)
    email["From"] = sender
    if recipient is not None:
        email["To"] = recipient
    email["Subject"] = subject
    email["Date"] = format_datetime(timezone.now())
    email.set_content(body_text, subtype="plain", cte=_transfer_encoding(body_text))
    if body_html:
        email.add_alternative(body_html, subtype="html", cte=_transfer_encoding(body_html))
        for part in email.iter_parts():
            del part["MIME-Version"]  # belongs to the top level only (RFC 2045)
    return email


def message_text(message: OutboundMessage) -> str:
    """The message as it would go on the wire now (CRLF line ends), for previews."""
    return build_email(message).as_bytes().decode("utf-8")


def needs_smtputf8(email: EmailMessage) -> bool:
    return bool(email.policy.utf8)  # type: ignore[attr-defined]


def envelope_address(address: str) -> str:
    """``address`` for MAIL FROM / RCPT TO: the domain in punycode, the local part as is."""
    local, _, domain = address.strip().rpartition("@")
    return f"{local}@{_ascii_domain(domain)}" if local else address.strip()


def envelope_recipients(email: EmailMessage) -> list[str]:
    to = email["To"]
    return [a.addr_spec for a in to.addresses] if to is not None else []


def _sender(from_header: str) -> Address:
    """The mailbox's From (``Name <address>``, the name maybe RFC 2047-encoded)."""
    parsed = SEVEN_BIT.header_factory("From", from_header).addresses  # type: ignore[attr-defined]
    if len(parsed) != 1 or not parsed[0].username:
        raise ValueError(f"Not one email address: {from_header!r}")
    return Address(parsed[0].display_name, parsed[0].username, _ascii_domain(parsed[0].domain))


def _recipient(address: str) -> Address:
    # Split by hand, not parsed as a header: a lead's address is data, and the header parser
    # stumbles on some malformed ones ("ada@").
    local, _, domain = address.strip().rpartition("@")
    return Address(username=local or domain, domain=_ascii_domain(domain) if local else "")


def _ascii_domain(domain: str) -> str:
    try:
        return punycode(domain)
    except UnicodeError:  # not a valid IDN: kept as typed, and the server will say so
        return domain


def _sequence_id(message: OutboundMessage) -> int | None:
    try:
        return message.enrollment.sequence_id
    except Enrollment.DoesNotExist:  # an unsaved message made without one (tests, tools)
        return None


def _transfer_encoding(text: str) -> str:
    # Split as the email package does (bytes.splitlines): other line breaks stay inside a line.
    lines = re.split(r"\r\n|\r|\n", text)
    if all(len(line) <= LINE_LIMIT and not _NOT_7BIT.search(line) for line in lines):
        return "7bit"
    return "quoted-printable"


def _folded(ids: str) -> str:
    """Message-IDs one per line: a list that folds only between IDs, never inside one."""
    return "\n ".join(ids.split())
