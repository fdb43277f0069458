"""Learn a mailbox's real DKIM selector: send itself a test message and read its DKIM-Signature.

The provider's submission server signs what the mailbox sends; the copy that lands in the
mailbox's own INBOX carries that signature, whose ``s=`` is the selector and ``d=`` the signing
domain. Only a signature aligned with the From domain (``d=`` the domain or a parent of it)
counts: a provider signing with its own domain (``d=sendgrid.net``) does not help DMARC.
"""

from __future__ import annotations

import contextlib
import email
import imaplib
import re
import time
from dataclasses import dataclass, field
from email.utils import make_msgid

from crm.errors import ValidationFailed
from outreach.deliverability.tag_list import TagListError, parse_tags
from outreach.inbox.sync import InboxUnavailable, imap_connect
from outreach.models import Mailbox, Transport
from outreach.sending.mime import email_message
from outreach.sending.transport import DeliveryError, close, deliver
from outreach.services.mailboxes import _SELECTOR_RE

SUBJECT = "Kindling DKIM check – you can delete this"
BODY = (
    "Kindling sent this message to itself to read the DKIM signature your provider adds.\n"
    "It is deleted automatically; if you still see it, you can delete it.\n"
)


@dataclass
class DkimDiscovery:
    """What the test message showed. ``outcome`` is one of: found, ambiguous, other_domain,
    unsigned, not_received, smtp_error, imap_error."""

    outcome: str
    message: str
    domain: str  # the From domain the signature must align with
    selector: str = ""  # set when exactly one aligned selector was found (and stored)
    selectors: list[str] = field(default_factory=list)  # every aligned selector
    signing_domain: str = ""  # d= of the aligned signature(s)
    other_signers: list[str] = field(default_factory=list)  # "d=… s=…" not aligned
    stored: bool = False


def _aligned(signer: str, domain: str) -> bool:
    """d= is the From domain or a parent of it (relaxed alignment), never a bare TLD."""
    return "." in signer and (domain == signer or domain.endswith("." + signer))


def _signatures(raw_headers: bytes) -> list[tuple[str, str]]:
    """(d, s) of every well-formed DKIM-Signature header."""
    message = email.message_from_bytes(raw_headers)
    found = []
    for value in message.get_all("DKIM-Signature") or []:
        try:
            tags = parse_tags(re.sub(r"\r?\n[ \t]", " ", str(value)))
        except TagListError:
            continue
        d = tags.get("d", "").strip().lower().rstrip(".")
        s = tags.get("s", "").strip().lower()
        if d and s:
            found.append((d, s))
    return found


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wait_for(
    imap: imaplib.IMAP4, message_id: str, timeout: float, poll_every: float
) -> list[bytes]:
    """UIDs of the INBOX messages with this Message-ID, polled until one shows up or time is up."""
    deadline = time.monotonic() + timeout
    while True:
        typ, data = imap.uid("SEARCH", "HEADER", "Message-ID", _quoted(message_id))
        if typ != "OK":
            raise InboxUnavailable("The IMAP server refused the search.")
        uids = (data[0] or b"").split()
        remaining = deadline - time.monotonic()
        if uids or remaining <= 0:
            return uids
        time.sleep(min(poll_every, remaining))
        imap.noop()  # lets the server tell us about new mail


def _headers_of(imap: imaplib.IMAP4, uids: list[bytes]) -> list[bytes]:
    typ, data = imap.uid("FETCH", b",".join(uids).decode(), "(BODY.PEEK[HEADER])")
    if typ != "OK":
        raise InboxUnavailable("The IMAP server refused to send the message.")
    return [item[1] for item in data if isinstance(item, tuple) and len(item) == 2]


def _delete(imap: imaplib.IMAP4, uids: list[bytes]) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        imap.uid("STORE", b",".join(uids).decode(), "+FLAGS.SILENT", "(\\Deleted)")
        imap.expunge()


def _verdict(mailbox: Mailbox, domain: str, signatures: list[tuple[str, str]]) -> DkimDiscovery:
    aligned = [(d, s) for d, s in signatures if _aligned(d, domain)]
    others = sorted({f"d={d} s={s}" for d, s in signatures if not _aligned(d, domain)})
    if not signatures:
        return DkimDiscovery(
            "unsigned",
            f"The test message arrived without a DKIM-Signature: mail from {domain} is not "
            "signed. Turn on DKIM signing for this domain at your email provider.",
            domain,
        )
    if not aligned:
        signers = ", ".join(sorted({d for d, _ in signatures}))
        return DkimDiscovery(
            "other_domain",
            f"The test message was signed only by {signers}, not by {domain}: that signature "
            f"does not align with your From domain. Set up DKIM for {domain} at your provider.",
            domain,
            other_signers=others,
        )
    selectors = sorted({s for _, s in aligned})
    signing = ", ".join(sorted({d for d, _ in aligned}))
    if len(selectors) > 1:
        return DkimDiscovery(
            "ambiguous",
            f"Signed by {signing} with several selectors ({', '.join(selectors)}); none was "
            "saved: enter the one to check by hand.",
            domain,
            selectors=selectors,
            signing_domain=signing,
            other_signers=others,
        )
    selector = selectors[0]
    if not _SELECTOR_RE.match(selector):
        return DkimDiscovery(
            "ambiguous",
            f"Signed by {signing} with the selector {selector!r}, which is not a valid DNS "
            "name; it was not saved.",
            domain,
            selectors=selectors,
            signing_domain=signing,
            other_signers=others,
        )
    Mailbox.objects.filter(pk=mailbox.pk).update(dkim_selector=selector)
    mailbox.dkim_selector = selector
    return DkimDiscovery(
        "found",
        f"Signed by {signing} with the selector {selector!r}; saved as this mailbox's DKIM "
        "selector.",
        domain,
        selector=selector,
        selectors=selectors,
        signing_domain=signing,
        other_signers=others,
        stored=True,
    )


def dkim_selector_discover(
    *, mailbox: Mailbox, timeout: float = 60.0, poll_every: float = 2.0
) -> DkimDiscovery:
    """Send the mailbox a test message from itself and learn its DKIM selector from the copy.

    Stores the selector on the mailbox when exactly one signature aligned with the From domain
    is found. The test message is deleted from the INBOX afterwards (best effort). Raises
    ValidationFailed for a capture mailbox or one without an IMAP server; every other failure
    (the server's refusal, nothing arriving in time) comes back as the result's message.
    """
    if mailbox.transport == Transport.CAPTURE:
        raise ValidationFailed(
            "This mailbox is in capture mode and sends nothing: switch it to SMTP first."
        )
    if not mailbox.imap_host:
        raise ValidationFailed(
            "This mailbox has no IMAP server: the test message could not be read back."
        )
    domain = mailbox.address.rsplit("@", 1)[-1].lower()
    message_id = make_msgid(domain=mailbox.domain.domain)
    test = email_message(
        from_header=mailbox.from_header, to=mailbox.address, subject=SUBJECT, body_text=BODY
    )
    test.set_raw("Message-ID", message_id)
    test["Auto-Submitted"] = "auto-generated"
    try:
        deliver(mailbox, test)
    except DeliveryError as exc:
        return DkimDiscovery(
            "smtp_error", f"The SMTP server did not take the test message: {exc.message}", domain
        )
    finally:
        close(mailbox.pk)
    try:
        imap = imap_connect(mailbox)
    except InboxUnavailable as exc:
        return DkimDiscovery("imap_error", f"Cannot read the INBOX: {exc.message}", domain)
    try:
        typ, _ = imap.select("INBOX")
        if typ != "OK":
            raise InboxUnavailable("The INBOX cannot be opened.")
        uids = _wait_for(imap, message_id, timeout, poll_every)
        if not uids:
            return DkimDiscovery(
                "not_received",
                f"The test message did not arrive in the INBOX within {timeout:g} s. Check the "
                "mailbox's IMAP settings, or try again later.",
                domain,
            )
        signatures = [sig for raw in _headers_of(imap, uids) for sig in _signatures(raw)]
        _delete(imap, uids)
    except InboxUnavailable as exc:
        return DkimDiscovery("imap_error", f"Cannot read the INBOX: {exc.message}", domain)
    except (imaplib.IMAP4.error, OSError) as exc:
        return DkimDiscovery("imap_error", f"Cannot read the INBOX: {exc}", domain)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
    return _verdict(mailbox, domain, signatures)
