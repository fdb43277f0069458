"""What an incoming email is: a reply, an auto-reply, a bounce or an unsubscribe request.

Pure functions over a parsed message (no database): RFC 3464 delivery status reports are
bounces (5.x.x hard, 4.x.x soft); RFC 3834 ``Auto-Submitted`` and the usual vendor headers or
out-of-office subjects (English, French, German, Spanish, Swedish) are auto-replies; a short
"unsubscribe / remove me" answer is an unsubscribe request; anything else is a reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

_MSGID = re.compile(r"<[^<>\s]+>")
_OOO_SUBJECT = re.compile(
    r"out of (the )?office|automatic reply|auto[- ]?reply|autoreply|away from (the )?office"
    r"|on (annual )?leave|on vacation"
    r"|absence|réponse automatique|reponse automatique|absent du bureau"
    r"|abwesenheit|automatische antwort|nicht im büro|außer haus"
    r"|fuera de la oficina|respuesta automática|respuesta automatica|estoy ausente"
    r"|frånvaro|autosvar|inte på kontoret|ej på kontoret",
    re.IGNORECASE,
)
_UNSUBSCRIBE = re.compile(
    r"\b(unsubscribe|remove me|take me off|stop (e-?mailing|contacting|sending)|opt[- ]?out"
    r"|désinscri|desinscri|désabonn|abmelden|austragen|darme de baja|avregistrera)",
    re.IGNORECASE,
)
_QUOTE_START = re.compile(
    r"^(on .+ wrote:|le .+ a écrit|am .+ schrieb|el .+ escribió|den .+ skrev|-+ ?original message)",
    re.IGNORECASE,
)


@dataclass
class Classified:
    kind: str  # reply, auto_reply, hard_bounce, soft_bounce, unsubscribe
    from_email: str
    subject: str
    text: str
    message_id: str
    references: list[str] = field(default_factory=list)  # newest first
    bounce_status: str = ""
    bounced_recipient: str = ""


def message_ids(value: str | None) -> list[str]:
    return _MSGID.findall(value or "")


def classify(message: EmailMessage) -> Classified:
    from_email = parseaddr(str(message.get("From", "")))[1].strip().lower()
    subject = " ".join(str(message.get("Subject", "")).split())
    refs = message_ids(message.get("In-Reply-To")) + list(
        reversed(message_ids(message.get("References")))
    )
    own_id = (message_ids(message.get("Message-ID")) or [""])[0]
    references = list(dict.fromkeys(refs))
    report = _delivery_report(message)
    if report is not None:
        status, recipient, original = report
        return Classified(
            kind="hard_bounce" if status.startswith("5") else "soft_bounce",
            from_email=from_email,
            subject=subject,
            text=_text(message)[:5000],
            message_id=own_id,
            references=list(dict.fromkeys(original + references)),
            bounce_status=status,
            bounced_recipient=recipient,
        )
    text = new_text(_text(message))
    if _is_auto_reply(message, subject):
        kind = "auto_reply"
    elif _UNSUBSCRIBE.search(text[:300]) or _UNSUBSCRIBE.search(subject):
        kind = "unsubscribe"
    else:
        kind = "reply"
    return Classified(kind, from_email, subject, text[:5000], own_id, references)


def _is_auto_reply(message: Message, subject: str) -> bool:
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return True
    if any(message.get(h) for h in ("X-Autoreply", "X-Autorespond", "X-Autoresponder")):
        return True
    if str(message.get("Precedence", "")).strip().lower() in {"auto_reply", "bulk", "junk"}:
        return True
    return bool(_OOO_SUBJECT.search(subject))


def _delivery_report(message: Message) -> tuple[str, str, list[str]] | None:
    """(status, failed recipient, ids of the original message) of an RFC 3464 report."""
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    status, recipient, original = "", "", []
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in part.get_payload():
                if not isinstance(block, Message):
                    continue
                if block.get("Status") and not status:
                    status = str(block["Status"]).split()[0]
                    rcpt = str(
                        block.get("Final-Recipient") or block.get("Original-Recipient") or ""
                    )
                    recipient = rcpt.split(";", 1)[-1].strip().strip("<>").lower()
        elif ctype in {"message/rfc822", "text/rfc822-headers", "message/rfc822-headers"}:
            original += _original_ids(part)
    if not status:
        return None
    return status, recipient, original


def _original_ids(part: Message) -> list[str]:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return message_ids(payload[0].get("Message-ID"))
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return []
    match = re.search(rb"^Message-ID:\s*(<[^>]+>)", raw, re.IGNORECASE | re.MULTILINE)
    return [match.group(1).decode(errors="replace")] if match else []


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                return ""
            return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return ""


def new_text(text: str) -> str:
    """The reply without the quoted conversation below it."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(">") or _QUOTE_START.match(line.strip()):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def addresses(value: str | None) -> list[str]:
    return [a.lower() for _, a in getaddresses([value or ""]) if a]
