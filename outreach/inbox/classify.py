"""What an incoming email is: a reply, an auto-reply, a bounce or an unsubscribe request, and
what the person meant: its reply category.

Pure functions over a parsed message (no database): RFC 3464 delivery status reports are
bounces (5.x.x hard, 4.x.x soft); RFC 3834 ``Auto-Submitted`` and the usual vendor headers or
out-of-office subjects (English, French, German, Spanish, Swedish) are auto-replies; a short
"unsubscribe / remove me" answer is an unsubscribe request; anything else is a reply.

A reply's category (interested, meeting request, not interested, out of office, wrong person)
comes from phrase tables in the same five languages, read in the reply's own text only (the
quoted thread and the signature cut off). The result carries a confidence; below ``CONFIDENT``
the category is ``unsure`` ("needs category"): an AI hook or a person decides.
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
    r"^(on .+ wrote:|le .+ a écrit|am .+ schrieb|el .+ escribió|den .+ skrev|-+ ?original message"
    r"|-+ ?message d'origine|-+ ?ursprüngliche nachricht|-+ ?mensaje original"
    r"|-+ ?ursprungligt meddelande|_{10,})",
    re.IGNORECASE,
)
# The first line of a wrapped "On Mon, … <ada@\nexample.com> wrote:" header.
_QUOTE_OPENING = re.compile(r"^(on|le|am|el|den) .{6,}", re.IGNORECASE)
_QUOTE_CLOSING = re.compile(r"(wrote|a écrit|schrieb|escribió|skrev) ?:?$", re.IGNORECASE)
# Outlook's quoted header block: "From: …" followed by "Sent: …", "Date: …", "To: …".
_HEADER_FROM = re.compile(r"^\*?(from|de|von|från)\*? ?:", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\*?(sent|date|to|subject|envoyé|à|objet|gesendet|an|betreff|enviado|fecha|para|asunto"
    r"|skickat|datum|till|ämne)\*? ?:",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(-- ?|sent from my .*|envoyé de mon .*|von meinem .* gesendet|gesendet von .*"
    r"|enviado desde mi .*|skickat från min .*|get outlook for .*|obtenir outlook pour .*)$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(best|best regards|kind regards|regards|many thanks|thanks|thank you|cheers|all the best"
    r"|cordialement|bien cordialement|bien à vous|merci|belle journée|bonne journée"
    r"|mit freundlichen grüßen|mit freundlichen grüssen|viele grüße|beste grüße|liebe grüße"
    r"|freundliche grüße|grüße|gruß|danke"
    r"|saludos|un saludo|saludos cordiales|atentamente|gracias|un abrazo"
    r"|med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh|tack|ha det bra)[,.!]?$",
    re.IGNORECASE,
)

# Reply categories (the values of ``outreach.models.ReplyCategory``).
INTERESTED = "interested"
MEETING_REQUEST = "meeting_request"
NOT_INTERESTED = "not_interested"
OUT_OF_OFFICE = "out_of_office"
WRONG_PERSON = "wrong_person"
UNSUBSCRIBE = "unsubscribe"
BOUNCE = "bounce"
UNSURE = "unsure"
CATEGORIES = (
    INTERESTED,
    MEETING_REQUEST,
    NOT_INTERESTED,
    OUT_OF_OFFICE,
    WRONG_PERSON,
    UNSUBSCRIBE,
    BOUNCE,
    UNSURE,
)
# What a second opinion (the AI hook) may answer for a reply the rules were unsure of: bounces
# and unsubscribe requests are facts read from the message, never a guess.
REFINABLE = frozenset({INTERESTED, MEETING_REQUEST, NOT_INTERESTED, OUT_OF_OFFICE, WRONG_PERSON})
CONFIDENT = 0.6


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# One table per category; each row is one language (en, fr, de, es, sv).
_NOT_INTERESTED = _any(
    r"\bnot (really |currently |at all |too )?interested|\bno,? thanks?\b|\bno thank you"
    r"|\bnot (for us|a (good |great |right )?fit|(right )?now|at (this|the moment)|the right time)"
    r"|\bno need\b|\b(we'?re|we are) (all )?set\b|\balready (use|have|work with|using|got)\b"
    r"|\bnot looking\b|\b(don'?t|do not) need\b"
    r"|\b(we'?ll|we will|i'?ll) pass\b(?! (this|it|that|your|along|on))"
    r"|\b(don'?t|do not) (follow up|contact us again)|\bno interest\b",
    r"\bpas (vraiment |du tout )?intéress|\bne (m|nous)['’] ?intéresse|\bn['’]intéresse pas"
    r"|\bnon,? merci|\bpas pour (nous|le moment|l['’]instant)|\bpas (le bon )?moment"
    r"|\b(pas|aucun) (de )?besoin|\b(nous avons|on a|nous utilisons) déjà|\bpas prioritaire",
    r"\bkein(e|en)? (interesse|bedarf)|\bnicht (mehr )?interess|\bnein,? danke"
    r"|\bnicht (für uns|relevant|aktuell)|\b(haben|nutzen) (bereits|schon)|\bderzeit nicht"
    r"|\bpasst (leider )?nicht|\bkeine zeit",
    r"\bno (nos|me) interesa|\bno (estamos|estoy) interesad|\bno,? gracias"
    r"|\bno es para nosotros|\bya (tenemos|contamos con|trabajamos con|usamos)"
    r"|\bno (lo )?necesitamos|\bno es (el|buen) momento|\bno por ahora|\bpor ahora no",
    r"\b(inte|ej) (särskilt )?intresserad|\binget intresse|\bnej,? tack|\binte aktuellt"
    r"|\bhar (redan|just nu)|\bbehöver (inte|inget)|\binte för oss|\bpassar (oss )?inte"
    r"|\binte just nu",
)
_WRONG_PERSON = _any(
    r"\b(not|no longer) the (right|best|correct) (person|contact)|\bwrong (person|contact)"
    r"|\bno longer (works?|with|at)\b|\b(has |have )?left the company"
    r"|\b(you should|you'?ll want to|better to|best to|you might want to) "
    r"(contact|reach out to|talk to|speak (to|with)|email|ask)"
    r"|\b(he|she|they|who) (handles|looks after|is in charge of|are in charge of"
    r"|is responsible for)"
    r"|\bnot my (area|department)|\bforwarded (this|your (email|message)) to",
    r"\bpas (la|le) bon(ne)? (personne|interlocut|contact)|\bne (travaille|fait) plus"
    r"|\ba quitté (la société|l['’]entreprise)|\b(contactez|écrivez|voyez) plutôt"
    r"|\badressez-vous à|\b(qui|il|elle) (s['’]occupe|est en charge|est responsable) de",
    r"\bnicht (der|die) (richtige|richtigen|passende) (ansprechpartner|person|kontakt)"
    r"|\bnicht mehr (bei|für|im unternehmen)|\b(hat|haben) das unternehmen verlassen"
    r"|\bwenden sie sich (bitte )?(an|direkt an)|\b(ist|wäre) (dafür )?zuständig|\bzuständig ist",
    r"\bno soy la persona|\bpersona (adecuada|indicada|correcta)|\bya no trabaja"
    r"|\bdej[oó] la empresa|\b(contacte|contacta|escriba|escribe) (mejor )?(con|a) "
    r"|\bp[oó]ngase en contacto con|\b(quien|que) se encarga|\bes (el|la) responsable",
    r"\binte (rätt|den rätta|rätta) (person|kontakt)|\bfel person|\bhar slutat (på|hos|här)"
    r"|\b(jobbar|arbetar) inte (längre|kvar)|\bkontakta (istället|hellre)"
    r"|\bvänd dig (istället |hellre )?till|\b(som|hon|han) ansvarar för|\bär ansvarig för",
)
_MEETING = _any(
    r"\b(book|schedule|set up|arrange|find) (a |some )?(time|call|meeting|slot|demo)"
    r"|\b(let'?s|can we|could we|happy to|glad to) (talk|chat|meet|speak|hop on|jump on)"
    r"|\b(a|quick|short|brief|intro) (call|chat|meeting|demo)\b|\bcalendly|\bcall me\b"
    r"|\b(are you|would you be) (free|available)"
    r"|\b(how about|can you do|does|would|is) (mon|tues|wednes|thurs|fri)day"
    r"|\bsend (me |us )?(an |a calendar )?invite|\bmy calendar\b",
    r"\brendez-vous|\brdv\b|\b(un|une) (appel|call|visio|réunion|démo)\b|\bcaler\b|\bcréneau"
    r"|\bon (peut|pourrait) (s['’]appeler|se parler|échanger|en discuter|se voir)"
    r"|\bdisponible (lundi|mardi|mercredi|jeudi|vendredi|demain|cette semaine|la semaine)"
    r"|\bappelez-moi|\bappelle-moi",
    r"\btermin|\btelefonat|\b(kurzes|kurzen) (gespräch|call|austausch)|\brufen sie mich an"
    r"|\bruf mich an|\blassen sie uns (sprechen|telefonieren|reden|treffen)"
    r"|\bpasst (es )?(ihnen|dir) (am )?(montag|dienstag|mittwoch|donnerstag|freitag|morgen)"
    r"|\bkönnen wir (telefonieren|sprechen|uns treffen)|\btelefonieren\b",
    r"\breuni[oó]n|\bllamada\b|\bagendar|\bpodemos (hablar|quedar|vernos|conversar)|\bcita\b"
    r"|\bte (va|viene) bien|\ble (va|viene) bien|\bll[aá]mame|\bhablamos el",
    r"\bmöte|\bboka (ett|en|in)\b|\bring mig|\bsamtal|\bpassar det (på|dig)|\bträffas"
    r"|\bkan vi (prata|ses|höras|ta ett)|\bhörs (på|nästa)",
)
_INTERESTED = _any(
    r"\binterest(ed|ing)\b|\bsounds (good|great|interesting|promising)|\btell me more"
    r"|\bsend (me |over )?(more |some )?(info|information|details|pricing|a deck|the deck)"
    r"|\b(would|i'?d) love to|\bkeen\b|\byes,? please|\bcurious\b|\blearn more",
    r"\bintéress|\ben savoir plus|\benvoyez[- ]moi|\bvolontiers|\bavec plaisir"
    r"|\bça me (parle|plaît)|\bpourquoi pas",
    r"\binteress|\bklingt (gut|spannend|interessant)|\bgerne mehr|\bmehr (erfahren|infos)"
    r"|\b(schicken|senden) sie mir",
    r"\binteres|\bsuena (bien|interesante)|\bm[aá]s informaci[oó]n|\bcu[eé]ntame m[aá]s"
    r"|\benv[ií]ame|\bme encantar[ií]a",
    r"\bintress|\blåter (bra|intressant|spännande)|\bberätta (gärna )?mer|\bmer information"
    r"|\bskicka (gärna|mer)",
)
_OUT_OF_OFFICE = _any(
    r"\bout of (the )?office|\bon (annual |parental |maternity |paternity |sick )?"
    r"(leave|holiday|vacation)\b|\baway (until|from the office)|\blimited access to (my )?e-?mail",
    r"\babsente? (du bureau|jusqu)|\ben congés?\b|\ben vacances",
    r"\babwesend|\bim urlaub|\bnicht im büro|\baußer haus",
    r"\bfuera de la oficina|\bde vacaciones|\bausente",
    r"\bpå semester|\bledig (till|t\.o\.m|från|hela)|\bfrånvarande|\binte på kontoret",
)
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Category:
    category: str  # one of CATEGORIES
    confidence: float  # 0..1; below CONFIDENT the category is UNSURE
    referred_email: str = ""  # wrong person: the address the reply points to, if any
    guess: str = ""  # what the rules leaned to when unsure (on the reply.categorized event)


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
    category: Category = field(default_factory=lambda: Category(UNSURE, 0.0))


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
            category=Category(BOUNCE, 1.0),
        )
    text = new_text(_text(message))
    if _is_auto_reply(message, subject):
        kind, category = "auto_reply", Category(OUT_OF_OFFICE, 1.0)
    elif _UNSUBSCRIBE.search(text[:300]) or _UNSUBSCRIBE.search(subject):
        kind, category = "unsubscribe", Category(UNSUBSCRIBE, 1.0)
    else:
        category = categorize(text, sender=from_email)
        # An out-of-office notice sent without the auto-reply headers: the sequence continues.
        kind = "auto_reply" if category.category == OUT_OF_OFFICE else "reply"
    return Classified(kind, from_email, subject, text[:5000], own_id, references, category=category)


def categorize(text: str, *, sender: str = "") -> Category:
    """The category of a reply by phrase tables, read in its own text (no quoted thread, no
    signature).

    Who was meant comes before what was meant: a wrong-person reply wins; a refusal wins over
    the interest words it contains ("not interested"); a refusal together with a real interest
    or meeting phrase ("not now, but let's talk in May") is unsure, so that a "not interested"
    is never read as interested. No phrase at all is unsure.
    """
    own = own_text(new_text(text))[:2000]
    refused = [m.span() for m in _NOT_INTERESTED.finditer(own)]
    # The interest words inside a refusal ("not interested") are not interest.
    rest = own
    for start, end in refused:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    wrong = _WRONG_PERSON.search(own)
    meeting = _MEETING.search(rest)
    interested = _INTERESTED.search(rest)
    if wrong:
        return Category(WRONG_PERSON, 0.85, referred_email=_referred(own, sender))
    if refused and (meeting or interested):
        return Category(UNSURE, 0.4, guess=NOT_INTERESTED)
    if refused:
        return Category(NOT_INTERESTED, 0.9)
    if _OUT_OF_OFFICE.search(own) and not (meeting or interested):
        return Category(OUT_OF_OFFICE, 0.8)
    if meeting:
        return Category(MEETING_REQUEST, 0.85)
    if interested:
        return Category(INTERESTED, 0.8)
    return Category(UNSURE, 0.0)


def own_text(text: str) -> str:
    """The reply's own words: ``new_text`` without the signature (cut at "-- ", a "Sent from
    my phone" line or a sign-off line such as "Best," that follows some text)."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if _SIGNATURE.match(line.rstrip()) or _SIGNATURE.match(stripped):
            break
        if _SIGN_OFF.match(stripped) and any(x.strip() for x in lines):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def _referred(text: str, sender: str) -> str:
    sender = sender.lower()
    for address in _ADDRESS.findall(text):
        if address.lower().rstrip(".") != sender:
            return address.lower().rstrip(".")
    return ""


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
    source = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(source):
        stripped = line.strip()
        if line.startswith(">") or _QUOTE_START.match(stripped):
            break
        following = [s.strip() for s in source[i + 1 : i + 4]]
        if (
            _QUOTE_OPENING.match(stripped)
            and following
            and _QUOTE_CLOSING.search(following[0])
            and not _QUOTE_CLOSING.search(stripped)
        ):
            break  # "On Mon, 4 Mar 2030, Olivia <olivia@" / "acme.test> wrote:"
        if _HEADER_FROM.match(stripped) and any(_HEADER_NEXT.match(f) for f in following):
            break  # Outlook's "From: … / Sent: … / To: …" block
        lines.append(line)
    return "\n".join(lines).strip()


def addresses(value: str | None) -> list[str]:
    return [a.lower() for _, a in getaddresses([value or ""]) if a]
