"""``inbox_sync``: fetch what arrived since the last UID, over IMAP, and record each message.

Incremental by UID; when the server's UIDVALIDITY changes the UIDs mean something else, so the
cursor restarts at 0 and Message-IDs keep already-seen mail from being acted on twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections import Counter

from django.utils import timezone

from crm.errors import DomainError
from crm.net.addresses import UnresolvableHost, UnsafeAddress
from outreach.inbox.record import inbound_record
from outreach.mail_servers import checked_imap, server_addresses, tls_failure
from outreach.models import Mailbox, Security

FETCH_CHUNK = 50
IMAP_TIMEOUT = 30


class InboxUnavailable(DomainError):
    """The IMAP server cannot be reached, may not be reached or refused the login."""

    status = 502


def imap_connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """A logged-in connection to the mailbox's IMAP server, at an address the rule allows.

    Failures are told in our own words: a server's greeting or error text is never echoed.
    """
    host = mailbox.imap_host.strip()
    try:
        addresses = server_addresses(host, mailbox.imap_port, field="imap_host")
    except UnsafeAddress as exc:
        raise InboxUnavailable(exc.message) from None
    except UnresolvableHost as exc:
        raise InboxUnavailable(f"Could not connect to the IMAP server: {exc}") from None
    try:
        imap = checked_imap(
            host,
            mailbox.imap_port,
            addresses=addresses,
            implicit_tls=mailbox.imap_security == Security.SSL,
            timeout=IMAP_TIMEOUT,
        )
        if mailbox.imap_security == Security.STARTTLS:
            imap.starttls(ssl.create_default_context())
    except ssl.SSLError as exc:
        raise InboxUnavailable(tls_failure(host, exc)) from None
    except (imaplib.IMAP4.error, OSError):
        raise InboxUnavailable(_unreachable(mailbox)) from None
    try:
        imap.login(mailbox.imap_username or mailbox.address, mailbox.imap_password)
    except (imaplib.IMAP4.abort, OSError):
        raise InboxUnavailable(_unreachable(mailbox)) from None
    except imaplib.IMAP4.error:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
        raise InboxUnavailable("Authentication refused by the IMAP server.") from None
    return imap


def _unreachable(mailbox: Mailbox) -> str:
    return f"Could not connect to the IMAP server {mailbox.imap_host.strip()}:{mailbox.imap_port}."


def inbox_sync(*, mailbox: Mailbox) -> Counter:
    """Read new mail of the mailbox's INBOX and act on it; returns a count per kind."""
    kinds: Counter = Counter()
    imap = imap_connect(mailbox)
    try:
        typ, _ = imap.select("INBOX", readonly=True)  # readonly: we never flag the user's mail
        if typ != "OK":
            raise InboxUnavailable("The INBOX cannot be opened.")
        uidvalidity = int(imap.untagged_responses["UIDVALIDITY"][0])  # type: ignore[arg-type]
        last_uid = mailbox.imap_last_uid if mailbox.imap_uidvalidity == uidvalidity else 0
        typ, data = imap.uid("SEARCH", f"UID {last_uid + 1}:*")
        # "n:*" always matches the newest message, even when it is older than n.
        uids = sorted(u for u in (int(x) for x in (data[0] or b"").split()) if u > last_uid)
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[start : start + FETCH_CHUNK]
            for uid, raw in _fetch(imap, chunk):
                inbound = inbound_record(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid, raw=raw)
                kinds[inbound.kind if inbound else "seen"] += 1
                # The cursor moves message by message: a crash re-reads at most one message,
                # and the unique (mailbox, uidvalidity, uid) row makes that harmless.
                Mailbox.objects.filter(pk=mailbox.pk).update(
                    imap_uidvalidity=uidvalidity, imap_last_uid=uid
                )
        Mailbox.objects.filter(pk=mailbox.pk).update(
            imap_uidvalidity=uidvalidity,
            imap_last_uid=max([last_uid, *uids]),
            imap_synced_at=timezone.now(),
        )
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
    mailbox.refresh_from_db(fields=["imap_uidvalidity", "imap_last_uid", "imap_synced_at"])
    return kinds


_UID = re.compile(rb"UID (\d+)")


def _fetch(imap: imaplib.IMAP4, uids: list[int]) -> list[tuple[int, bytes]]:
    typ, data = imap.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
    if typ != "OK":
        raise InboxUnavailable("The IMAP server refused to send the messages.")
    found = []
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            match = _UID.search(item[0])
            if match:
                found.append((int(match.group(1)), item[1]))
    return sorted(found)
