"""The bytes of an email: 7-bit clean, lines within 78 characters, SMTPUTF8 only when an address
needs it. Checked on what a real SMTP server (aiosmtpd on loopback) received."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import dkim
import pytest
import time_machine
from django.utils import timezone

from outreach.models import Enrollment, EnrollmentStatus, MessageStatus, OutboundMessage
from outreach.sending.mime import build_email
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from tests.factories import CompanyFactory, LeadFactory
from tests.outreach.signing_smtp import rsa_key_pair
from tests.outreach.smtp_server import SmtpServer

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


def assert_7bit_with_short_lines(raw: bytes) -> None:
    assert max(raw) < 128, "a byte above 127"
    assert b"\n" not in raw.replace(b"\r\n", b""), "a line end other than CRLF"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def extensions_used(received) -> list[str]:
    """The MAIL FROM parameters beyond SIZE (which smtplib adds whenever a server offers it)."""
    return [o for o in received.mail_options if not o.upper().startswith("SIZE=")]


def strictly_parsed(raw: bytes) -> email.message.EmailMessage:
    """Parsed with the email package's strict policy: any defect raises."""
    return email.message_from_bytes(raw, policy=email.policy.strict)  # type: ignore[return-value]


def queued_message(workspace, sequence, actor, **lead_fields):
    lead = LeadFactory(workspace=workspace, **lead_fields)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    return OutboundMessage.objects.get(lead=lead)


def unsaved(**fields) -> OutboundMessage:
    defaults = {
        "message_id": "<m1@mail.acme.test>",
        "from_header": "Olivia Hart <sender@mail.acme.test>",
        "to_email": "ada@prospect.test",
        "subject": "Hello",
        "body_text": "Hi Ada,\n",
        "unsubscribe_token": "1.2.sig",
    }
    return OutboundMessage(**{**defaults, **fields})


def test_accents_and_long_lines_go_quoted_printable_and_read_back_the_same():
    text = "Hi José,\n\n" + "A line far longer than seventy-eight characters. " * 5 + "\n"
    markup = "<p>Hi José, " + "<b>word</b> " * 30 + "</p>\n"
    message = unsaved(
        from_header="Zoë Hart <sender@mail.acme.test>",
        subject="Café für Zoë — a question about the hiring plans of your team this year",
        body_text=text,
        body_html=markup,
    )

    raw = build_email(message).as_bytes()

    assert_7bit_with_short_lines(raw)
    mail = strictly_parsed(raw)
    assert mail["Subject"] == message.subject
    assert mail["From"].addresses[0].display_name == "Zoë Hart"
    plain, html = mail.iter_parts()
    assert plain["Content-Transfer-Encoding"] == "quoted-printable"
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert plain.get_content().replace("\r\n", "\n") == text
    assert html.get_content().replace("\r\n", "\n") == markup
    assert "MIME-Version" not in html  # the top level only


def test_plain_ascii_within_78_columns_stays_readable_7bit():
    raw = build_email(unsaved(body_text="Hi Ada,\n\nShort lines only.\n")).as_bytes()

    assert_7bit_with_short_lines(raw)
    mail = strictly_parsed(raw)
    assert mail["Content-Transfer-Encoding"] == "7bit"
    assert b"\r\n\r\nHi Ada,\r\n\r\nShort lines only.\r\n" in raw


def test_control_characters_never_go_out_raw():
    raw = build_email(unsaved(body_text="Hi\x0cAda\x00\n")).as_bytes()

    assert_7bit_with_short_lines(raw)
    assert b"\x0c" not in raw and b"\x00" not in raw
    assert strictly_parsed(raw).get_content() == "Hi\x0cAda\x00\r\n"


@pytest.mark.parametrize("address", ["", "ada@", "not an address"])
def test_a_preview_for_a_missing_or_malformed_address_still_builds(address):
    raw = build_email(unsaved(to_email=address)).as_bytes()

    assert_7bit_with_short_lines(raw)
    assert (b"\r\nTo: " in raw) is bool(address)


def test_a_long_unsubscribe_url_is_never_encoded_or_broken(settings):
    settings.SITE_URL = "https://crm.a-rather-long-host-name-for-this-kindling.example.com"

    raw = build_email(unsaved()).as_bytes()

    url = f"<{settings.SITE_URL}/u/1.2.sig/>".encode()
    assert b"List-Unsubscribe: " + url + b"\r\n" in raw
    assert strictly_parsed(raw)["List-Unsubscribe"] == url.decode()


def test_what_the_server_received_is_7bit_and_exactly_what_was_stored(
    workspace, sequence, actor, smtp_server
):
    company = CompanyFactory(workspace=workspace, name="Société Générale")
    message = queued_message(workspace, sequence, actor, first_name="José", company=company)

    assert send_message(message_id=message.pk).outcome == "sent"

    [got] = smtp_server.received
    assert not extensions_used(got)  # no BODY=8BITMIME, no SMTPUTF8: any server takes it
    assert_7bit_with_short_lines(got.raw)
    message.refresh_from_db()
    assert got.raw == message.raw_mime.encode()
    mail = strictly_parsed(got.raw)
    assert mail["Subject"].endswith("Société Générale")
    assert mail.get_content().startswith(("Hi José,", "Hello José,"))
    assert mail["List-Id"] == f"<sequence-{sequence.pk}.mail.acme.test>"


def test_a_domain_in_unicode_goes_as_punycode_without_smtputf8(
    workspace, sequence, actor, smtp_server
):
    message = queued_message(workspace, sequence, actor, email="ada@bücher.test")

    assert send_message(message_id=message.pk).outcome == "sent"

    [got] = smtp_server.received
    assert got.rcpt_tos == ["ada@xn--bcher-kva.test"]
    assert not extensions_used(got)
    assert_7bit_with_short_lines(got.raw)
    assert strictly_parsed(got.raw)["To"] == "ada@xn--bcher-kva.test"


def test_a_non_ascii_local_part_is_refused_with_the_reason_by_a_server_without_smtputf8(
    workspace, sequence, actor, smtp_server
):
    message = queued_message(workspace, sequence, actor, email="josé@prospect.test")

    result = send_message(message_id=message.pk)

    assert result.outcome == "failed"
    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "SMTPUTF8" in message.error and "does not offer it" in message.error
    enrollment = Enrollment.objects.get(pk=message.enrollment_id)
    assert enrollment.status == EnrollmentStatus.FAILED
    assert "SMTPUTF8" in enrollment.stop_reason


@pytest.fixture
def smtputf8_server():
    server = SmtpServer(smtputf8=True).start()
    yield server
    server.stop()


def test_a_non_ascii_local_part_goes_with_smtputf8_to_a_server_that_offers_it(
    workspace, sequence, mailbox, actor, smtputf8_server
):
    mailbox_update(mailbox=mailbox, data={"smtp_port": smtputf8_server.port})
    message = queued_message(workspace, sequence, actor, email="josé@prospect.test")

    assert send_message(message_id=message.pk).outcome == "sent"

    [got] = smtputf8_server.received
    assert extensions_used(got) == ["SMTPUTF8", "BODY=8BITMIME"]
    assert got.rcpt_tos == ["josé@prospect.test"]
    assert "To: josé@prospect.test\r\n".encode() in got.raw  # RFC 6532: UTF-8 in the header
    body = got.raw.split(b"\r\n\r\n", 1)[1]
    assert max(body) < 128  # the bodies stay quoted-printable
    mail = email.message_from_string(got.raw.decode(), policy=email.policy.SMTPUTF8)
    assert mail["To"].addresses[0].username == "josé"


def test_dkim_signatures_over_the_sent_bytes_verify(workspace, sequence, actor, smtp_server):
    message = queued_message(workspace, sequence, actor, first_name="Zoë")
    send_message(message_id=message.pk)
    [got] = smtp_server.received
    private, public = rsa_key_pair()

    # simple/simple: the strictest canonicalization, broken by any change to a byte.
    signature = dkim.sign(
        got.raw,
        b"k1",
        b"mail.acme.test",
        private,
        canonicalize=(b"simple", b"simple"),
        include_headers=[
            *(b"from", b"to", b"subject", b"date", b"message-id", b"list-id"),
            *(b"list-unsubscribe", b"list-unsubscribe-post", b"mime-version", b"content-type"),
        ],
    )

    record = b"v=DKIM1; k=rsa; p=" + public
    assert dkim.verify(signature + got.raw, dnsfunc=lambda name, timeout=5: record)
