"""Reply categories from the rules, in English, French, German, Spanish and Swedish.

Pure functions: each row is a realistic reply (its own text, or a whole message with the quoted
thread and signature below it) and the category the rules must give.
"""

from __future__ import annotations

import email
from email import policy

import pytest

from outreach.inbox.classify import (
    CATEGORIES,
    CONFIDENT,
    categorize,
    classify,
    own_text,
)
from outreach.models import ReplyCategory
from tests.outreach import mail_samples

SENDER = "ada@prospect.test"

INTERESTED = [
    ("en", "Sounds interesting. What does pricing look like for a team of 12?"),
    ("en", "Yes please, send me more details and a case study."),
    ("fr", "Bonjour Olivia, ça m'intéresse. Vous pouvez m'envoyer une plaquette ?"),
    ("fr", "Volontiers, j'aimerais en savoir plus sur vos tarifs."),
    ("de", "Hallo Olivia, klingt spannend. Schicken Sie mir gerne mehr Infos."),
    ("de", "Das ist interessant für uns, was kostet das für 10 Nutzer?"),
    ("es", "Hola Olivia, me interesa. ¿Me puedes enviar más información?"),
    ("es", "Suena interesante, cuéntame más sobre los precios."),
    ("sv", "Hej Olivia, låter intressant! Skicka gärna mer information."),
    ("sv", "Berätta mer, vad kostar det för ett team på tio personer?"),
]
MEETING = [
    ("en", "Happy to chat. Can you do Thursday at 10?"),
    ("en", "Let's talk — here is my Calendly: https://calendly.com/ada/30min"),
    ("fr", "Oui, on peut s'appeler mardi à 14h ?"),
    ("fr", "Calons un créneau la semaine prochaine, je suis disponible jeudi."),
    ("de", "Gerne, können wir am Dienstag telefonieren? 15 Uhr passt mir."),
    ("de", "Schicken Sie mir einen Termin für nächste Woche."),
    ("es", "Claro, ¿podemos hablar el martes a las 11?"),
    ("es", "Agendemos una llamada, ¿te va bien el jueves?"),
    ("sv", "Absolut, kan vi ta ett samtal på tisdag?"),
    ("sv", "Boka in ett möte nästa vecka så pratar vi."),
]
NOT_INTERESTED = [
    ("en", "Thanks, not for us this quarter. Maybe next year."),
    ("en", "We're not interested, we already use Outreach."),
    ("en", "No thanks."),
    ("en", "Appreciate it, but we'll pass."),
    ("fr", "Merci, mais nous ne sommes pas intéressés."),
    ("fr", "Non merci, ce n'est pas le moment pour nous."),
    ("de", "Danke, aber kein Interesse."),
    ("de", "Nein danke, wir haben bereits eine Lösung."),
    ("es", "Gracias, pero no nos interesa."),
    ("es", "No gracias, ya tenemos un proveedor."),
    ("sv", "Tack, men vi är inte intresserade."),
    ("sv", "Nej tack, inte aktuellt för oss just nu."),
]
OUT_OF_OFFICE = [
    ("en", "I'm on vacation until March 12 with limited access to email."),
    ("fr", "Je suis absente du bureau jusqu'au 12 mars."),
    ("de", "Ich bin bis zum 12. März im Urlaub."),
    ("es", "Estoy de vacaciones hasta el 12 de marzo."),
    ("sv", "Jag är på semester till den 12 mars."),
]
WRONG_PERSON = [
    ("en", "I'm not the right person for this — you should talk to grace@prospect.test."),
    ("en", "Ada no longer works here. Grace handles purchasing now."),
    ("fr", "Je ne suis pas la bonne personne, contactez plutôt marc@prospect.test."),
    ("de", "Ich bin nicht der richtige Ansprechpartner, wenden Sie sich an jan@prospect.test."),
    ("es", "No soy la persona adecuada, escribe a lucia@prospect.test, ella se encarga."),
    ("sv", "Jag är inte rätt person, vänd dig till erik@prospect.test."),
]
# "No" together with a real interest phrase: a person decides (never read as interested).
MIXED = [
    ("en", "Not right now, but let's talk again in May."),
    ("fr", "Pas pour le moment, mais on pourrait en discuter en juin."),
    ("de", "Derzeit nicht, aber gerne mehr Infos im Herbst."),
    ("es", "Por ahora no, pero podemos hablar en otoño."),
    ("sv", "Inte just nu, men kan vi höras i höst?"),
]
UNSURE = [
    ("en", "Thanks"),
    ("en", "Thanks, I'll pass this on to the team."),
    ("fr", "Merci Olivia, je transmets."),
    ("de", "Danke für die Nachricht."),
    ("es", "Recibido, gracias."),
    ("sv", "Tack för mejlet."),
]


def _rows(expected: str, table: list[tuple[str, str]]) -> list:
    return [
        pytest.param(text, expected, id=f"{expected}-{lang}-{i}")
        for i, (lang, text) in enumerate(table)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    _rows("interested", INTERESTED)
    + _rows("meeting_request", MEETING)
    + _rows("not_interested", NOT_INTERESTED)
    + _rows("out_of_office", OUT_OF_OFFICE)
    + _rows("wrong_person", WRONG_PERSON)
    + _rows("unsure", MIXED)
    + _rows("unsure", UNSURE),
)
def test_the_rules_categorize_replies_in_five_languages(text, expected):
    found = categorize(text, sender=SENDER)
    assert found.category == expected
    assert (found.confidence >= CONFIDENT) == (expected != "unsure")


@pytest.mark.parametrize(("lang", "text"), NOT_INTERESTED + MIXED)
def test_a_refusal_is_never_read_as_interest(lang, text):
    assert categorize(text).category not in {"interested", "meeting_request"}


def test_a_mixed_answer_keeps_the_rules_lean_for_the_person_deciding():
    assert categorize("Not right now, but let's talk again in May.").guess == "not_interested"


@pytest.mark.parametrize(
    ("text", "referred"),
    [
        (
            "I'm not the right person — you should talk to Grace@Prospect.test.",
            "grace@prospect.test",
        ),
        ("Ada no longer works here. Grace handles purchasing now.", ""),
    ],
)
def test_a_wrong_person_reply_carries_the_address_it_points_to(text, referred):
    assert categorize(text, sender=SENDER).referred_email == referred


def test_the_senders_own_address_is_not_a_referral():
    text = "I'm not the right person, but you can reach me at ada@prospect.test anyway."
    assert categorize(text, sender=SENDER).referred_email == ""


def _parse(raw: bytes):  # type: ignore[no-untyped-def]
    return classify(email.message_from_bytes(raw, policy=policy.default))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Thanks, not for us this quarter.", "not_interested"),
        ("Merci, mais nous ne sommes pas intéressés.", "not_interested"),
        ("Merci pour le message.", "unsure"),
        ("Oui, on peut s'appeler mardi ?", "meeting_request"),
    ],
)
def test_the_quoted_pitch_and_the_signature_do_not_fool_the_rules(body, expected):
    # The signature says "Intéressé … Réservez une démo" and the quote "interested in a call".
    found = _parse(
        mail_samples.outlook_reply(to_message_id="<m1@acme.test>", sender=SENDER, body=body)
    )
    assert found.kind == "reply"
    assert found.category.category == expected
    assert found.text.startswith(body)
    assert "Olivia Hart" not in found.text  # the quoted header block is cut


def test_a_gmail_header_wrapped_over_two_lines_still_ends_the_reply():
    text = (
        "No thanks.\n\nOn Mon, 4 Mar 2030 at 10:00, Olivia Hart <\nsender@mail.acme.test> wrote:\n"
        "> Would you be interested in a quick call?\n"
    )
    assert categorize(text).category == "not_interested"


def test_a_signature_after_dashes_or_a_phone_line_is_not_the_reply():
    assert own_text("No thanks.\n-- \nAda | Interested in engines?") == "No thanks."
    assert own_text("Non merci.\n\nEnvoyé de mon iPhone") == "Non merci."
    assert own_text("Thanks!\n\nLet's talk Tuesday.") == "Thanks!\n\nLet's talk Tuesday."


@pytest.mark.parametrize(
    ("raw", "kind", "category"),
    [
        (
            mail_samples.reply(
                to_message_id="<m1@acme.test>",
                sender=SENDER,
                body="Please remove me from your list.",
            ),
            "unsubscribe",
            "unsubscribe",
        ),
        (
            mail_samples.reply(
                to_message_id="<m1@acme.test>", sender=SENDER, body="Merci de me désinscrire."
            ),
            "unsubscribe",
            "unsubscribe",
        ),
        (
            mail_samples.reply(
                to_message_id="<m1@acme.test>", sender=SENDER, body="Bitte abmelden."
            ),
            "unsubscribe",
            "unsubscribe",
        ),
        (
            mail_samples.reply(
                to_message_id="<m1@acme.test>", sender=SENDER, body="Por favor, darme de baja."
            ),
            "unsubscribe",
            "unsubscribe",
        ),
        (
            mail_samples.reply(
                to_message_id="<m1@acme.test>", sender=SENDER, body="Avregistrera mig, tack."
            ),
            "unsubscribe",
            "unsubscribe",
        ),
        (
            mail_samples.delivery_report(
                original_message_id="<m1@acme.test>", recipient=SENDER, status="5.1.1"
            ),
            "hard_bounce",
            "bounce",
        ),
        (
            mail_samples.delivery_report(
                original_message_id="<m1@acme.test>", recipient=SENDER, status="4.2.2"
            ),
            "soft_bounce",
            "bounce",
        ),
        (
            mail_samples.out_of_office(to_message_id="<m1@acme.test>", sender=SENDER),
            "auto_reply",
            "out_of_office",
        ),
        (
            mail_samples.reply(
                to_message_id="<m1@acme.test>",
                sender=SENDER,
                body="Estoy de vacaciones hasta el lunes.",
            ),
            "auto_reply",  # no auto-reply header, but the text says so: the sequence continues
            "out_of_office",
        ),
    ],
    # Readable ids (the raw messages hold per-process hashes: xdist needs stable ids).
    ids=[
        "unsubscribe-en",
        "unsubscribe-fr",
        "unsubscribe-de",
        "unsubscribe-es",
        "unsubscribe-sv",
        "hard-bounce",
        "soft-bounce",
        "auto-reply-header",
        "out-of-office-text-es",
    ],
)
def test_whole_messages_get_their_kind_and_category(raw, kind, category):
    found = _parse(raw)
    assert (found.kind, found.category.category) == (kind, category)
    assert found.category.confidence == pytest.approx(1.0) or category == "out_of_office"


def test_the_categories_are_the_models_choices():
    assert set(CATEGORIES) == set(ReplyCategory.values)
