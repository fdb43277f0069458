"""SMTP and IMAP hosts follow the public-address rule: refused when saved and when dialled.

Every spelling of an internal address is refused unless ``OUTBOUND_ALLOW_PRIVATE`` lists it, a
refused host is never dialled, a server's banner or error text is never echoed, and TLS still
verifies the host name while the socket goes to the checked address.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from crm.net.addresses import UnsafeAddress
from outreach.models import Mailbox, MailboxState, MessageStatus, OutboundMessage
from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message
from outreach.services.connection_test import mailbox_test_connection
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_create, mailbox_update
from tests.factories import LeadFactory
from tests.outreach.smtp_server import RecordingHandler, _authenticator, free_port
from tests.outreach.tls import make_certificates

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)
INTERNAL = [
    "127.0.0.1",
    "::1",
    "[::1]",
    "2130706433",
    "0x7f000001",
    "127.1",
    "::ffff:127.0.0.1",
    "169.254.169.254",
    "10.0.0.1",
    "localhost",
]
LOOPBACK_SPELLINGS = ["127.0.0.1", "::1", "2130706433", "0x7f000001", "127.1", "::ffff:127.0.0.1"]


@pytest.fixture
def nothing_allowed(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = []


class Listener:
    """A port open on 127.0.0.1 and ::1 that only notes whether anyone connected."""

    def __init__(self) -> None:
        self.v4 = socket.create_server(("127.0.0.1", 0))
        self.port = self.v4.getsockname()[1]
        self.v6 = socket.create_server(("::1", self.port), family=socket.AF_INET6)
        for sock in (self.v4, self.v6):
            sock.setblocking(False)

    def dialled(self) -> bool:
        for sock in (self.v4, self.v6):
            try:
                sock.accept()[0].close()
                return True
            except BlockingIOError:
                pass
        return False

    def close(self) -> None:
        self.v4.close()
        self.v6.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    port = Listener()
    yield port
    port.close()


class ScriptedServer:
    """A loopback TCP server that greets with ``greeting`` and answers each line with ``reply``."""

    def __init__(self, greeting: bytes, reply: Callable[[bytes], bytes]) -> None:
        self.greeting, self.reply = greeting, reply
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as lines:
                conn.sendall(self.greeting)
                for line in lines:
                    answer = self.reply(line)
                    if not answer:
                        break
                    conn.sendall(answer)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def scripted() -> Iterator[Callable[[bytes, Callable[[bytes], bytes]], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(greeting: bytes, reply: Callable[[bytes], bytes]) -> ScriptedServer:
        servers.append(ScriptedServer(greeting, reply))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def smtp_box(workspace, sending_domain, **fields) -> Mailbox:
    return mailbox_create(
        workspace=workspace,
        domain=sending_domain,
        address="sender@mail.acme.test",
        data={"transport": "smtp", "smtp_port": 587, **fields},
    )


# --- when saved -------------------------------------------------------------------------------


@pytest.mark.parametrize("host", INTERNAL)
@pytest.mark.parametrize("field", ["smtp_host", "imap_host"])
def test_an_internal_host_is_refused_when_saved(
    workspace, sending_domain, nothing_allowed, host, field
):
    with pytest.raises(UnsafeAddress) as exc:
        smtp_box(workspace, sending_domain, **{field: host})

    assert "private or internal" in exc.value.errors[field][0]
    assert not Mailbox.objects.exists()


def test_an_internal_host_is_refused_when_changed(workspace, sending_domain, nothing_allowed):
    mailbox = smtp_box(workspace, sending_domain, smtp_host="93.184.216.34")

    with pytest.raises(UnsafeAddress):
        mailbox_update(mailbox=mailbox, data={"smtp_host": "169.254.169.254"})

    mailbox.refresh_from_db()
    assert mailbox.smtp_host == "93.184.216.34"


def test_the_api_answers_422_naming_the_field(api, workspace, sending_domain, nothing_allowed):
    body = {
        "domain_id": sending_domain.pk,
        "address": "olivia@mail.acme.test",
        "transport": "smtp",
        "smtp_host": "0x7f000001",
    }
    response = api.post("/api/v1/mailboxes", json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    assert "smtp_host" in response.content.decode()
    assert not Mailbox.objects.exists()


def test_a_public_address_or_unknown_name_is_accepted(workspace, sending_domain, nothing_allowed):
    mailbox = smtp_box(
        workspace, sending_domain, smtp_host="93.184.216.34", imap_host="imap.not-yet.invalid"
    )
    assert mailbox.pk


def test_a_capture_mailbox_is_unaffected(workspace, sending_domain, nothing_allowed):
    mailbox = mailbox_create(
        workspace=workspace,
        domain=sending_domain,
        address="sender@mail.acme.test",
        data={"transport": "capture", "smtp_host": "127.0.0.1", "imap_host": "::1"},
    )
    assert mailbox.state == MailboxState.ACTIVE


@pytest.mark.parametrize(
    "allowed, host",
    [
        (["127.0.0.1"], "127.1"),
        (["127.0.0.0/8"], "2130706433"),
        (["::1"], "[::1]"),
        (["localhost"], "localhost"),
        (["10.0.0.0/8"], "10.1.2.3"),
    ],
)
def test_the_admin_allow_list_lets_a_private_host_through(
    workspace, sending_domain, settings, allowed, host
):
    settings.OUTBOUND_ALLOW_PRIVATE = allowed
    assert smtp_box(workspace, sending_domain, smtp_host=host).smtp_host == host


# --- when dialled -----------------------------------------------------------------------------


@pytest.mark.parametrize("host", [*LOOPBACK_SPELLINGS, "169.254.169.254"])
def test_the_connection_test_never_dials_an_internal_host(
    workspace, sending_domain, listener, nothing_allowed, host
):
    # Saved before the rule existed (or while the admin allowed it).
    mailbox = smtp_box(workspace, sending_domain)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        smtp_host=host, smtp_port=listener.port, imap_host=host, imap_port=listener.port
    )
    mailbox.refresh_from_db()

    report = mailbox_test_connection(mailbox=mailbox)

    assert not report.smtp_ok and "private or internal" in report.smtp_message
    assert not report.imap_ok and "private or internal" in report.imap_message
    assert not listener.dialled()


def test_an_open_and_a_closed_port_answer_alike(workspace, sending_domain, settings, scripted):
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]
    talking = scripted(b"SSH-2.0-OpenSSH_9.2p1\r\n", lambda line: b"")
    mailbox = smtp_box(
        workspace,
        sending_domain,
        smtp_host="127.0.0.1",
        smtp_security="none",
        imap_host="127.0.0.1",
        imap_security="none",
    )
    answers = []
    for port in (talking.port, free_port()):
        mailbox_update(mailbox=mailbox, data={"smtp_port": port, "imap_port": port})
        report = mailbox_test_connection(mailbox=mailbox)
        answers.append(f"{report.smtp_message} {report.imap_message}".replace(str(port), "N"))

    assert (
        answers[0]
        == answers[1]
        == (
            "Could not connect to the SMTP server 127.0.0.1:N. "
            "Could not connect to the IMAP server 127.0.0.1:N."
        )
    )


@pytest.mark.parametrize(
    "greeting",
    [
        b"554 5.3.2 secret-banner.internal ESMTP Postfix (Debian)\r\n",
        b"SSH-2.0-OpenSSH_9.2p1 secret-banner\r\n",
        b"+OK secret-banner.internal POP3 ready\r\n",
    ],
)
def test_a_servers_banner_is_never_echoed(workspace, sending_domain, settings, scripted, greeting):
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]
    server = scripted(greeting, lambda line: b"500 secret-banner says no\r\n")
    mailbox = smtp_box(
        workspace,
        sending_domain,
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_security="none",
        imap_host="127.0.0.1",
        imap_port=server.port,
        imap_security="none",
    )

    report = mailbox_test_connection(mailbox=mailbox)

    assert not report.smtp_ok and not report.imap_ok
    assert "secret" not in report.smtp_message + report.imap_message
    assert report.smtp_message == f"Could not connect to the SMTP server 127.0.0.1:{server.port}."
    assert report.imap_message == f"Could not connect to the IMAP server 127.0.0.1:{server.port}."


def test_a_refusal_after_the_greeting_is_told_by_its_code_only(
    workspace, sending_domain, settings, scripted
):
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.1"]

    def smtp(line: bytes) -> bytes:
        if line.upper().startswith((b"EHLO", b"HELO")):
            return b"250-secret-banner.internal\r\n250 AUTH PLAIN LOGIN\r\n"
        return b"535 5.7.8 secret-banner: user olivia unknown in LDAP ou=staff\r\n"

    def imap(line: bytes) -> bytes:
        tag, _, command = line.partition(b" ")
        if command.upper().startswith(b"CAPABILITY"):
            return b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n"
        return tag + b" NO [AUTHENTICATIONFAILED] secret-banner: no such user in LDAP\r\n"

    smtp_server = scripted(b"220 secret-banner.internal ESMTP\r\n", smtp)
    imap_server = scripted(b"* OK secret-banner.internal IMAP ready\r\n", imap)
    mailbox = smtp_box(
        workspace,
        sending_domain,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
        smtp_username="olivia",
        smtp_password="wrong",
        imap_host="127.0.0.1",
        imap_port=imap_server.port,
        imap_security="none",
        imap_password="wrong",
    )

    report = mailbox_test_connection(mailbox=mailbox)

    assert report.smtp_message == "Authentication refused by the SMTP server (535)."
    assert report.imap_message == "Authentication refused by the IMAP server."


def test_a_mailbox_whose_server_became_internal_is_paused_not_sent(
    workspace, sequence, actor, smtp_server, settings
):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False):
        plan_due_sends(now=timezone.now(), enqueue=lambda pk, delay: None)
    message = OutboundMessage.objects.get(lead=lead)
    settings.OUTBOUND_ALLOW_PRIVATE = []  # the admin withdrew the allowance

    assert send_message(message_id=message.pk).outcome == "cancelled"

    mailbox = Mailbox.objects.get(pk=message.mailbox_id)
    assert mailbox.state == MailboxState.PAUSED
    assert "private or internal" in mailbox.paused_reason
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    assert smtp_server.received == []


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_verifies_the_host_name_while_dialling_the_checked_address(
    mailbox, settings, tmp_path, monkeypatch, security
):
    # The certificate names only "localhost": had the client verified the address it dialled
    # (127.0.0.1), the handshake would fail.
    ca, cert, key = make_certificates(tmp_path, name="localhost")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    settings.OUTBOUND_ALLOW_PRIVATE = ["localhost"]
    handler = RecordingHandler()
    port = free_port()
    tls = (
        {"tls_context": context, "require_starttls": True}
        if security == "starttls"
        else {"server_hostname": "localhost", "ssl_context": context, "auth_require_tls": False}
    )
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_required=True,
        **tls,
    )
    controller.start()
    try:
        mailbox_update(
            mailbox=mailbox,
            data={"smtp_host": "localhost", "smtp_port": port, "smtp_security": security},
        )
        report = mailbox_test_connection(mailbox=mailbox)
    finally:
        controller.stop()
    assert report.smtp_ok, report.smtp_message


# --- on upgrade -------------------------------------------------------------------------------


def test_the_upgrade_pauses_saved_mailboxes_on_private_servers_and_deletes_nothing(
    workspace, sending_domain, settings
):
    from django.apps import apps

    migration = importlib.import_module("outreach.migrations.0004_pause_private_mailboxes")
    settings.OUTBOUND_ALLOW_PRIVATE = ["10.0.0.0/8"]
    servers = {
        "smtp-private": ("smtp", "127.1", "93.184.216.34"),
        "imap-metadata": ("smtp", "93.184.216.34", "169.254.169.254"),
        "capture": ("capture", "127.0.0.1", "::1"),
        "public": ("smtp", "93.184.216.34", ""),
        "allowed": ("smtp", "10.0.0.5", "10.0.0.6"),
    }
    for name, (transport, smtp_host, imap_host) in servers.items():
        mailbox = mailbox_create(
            workspace=workspace, domain=sending_domain, address=f"{name}@mail.acme.test"
        )
        Mailbox.objects.filter(pk=mailbox.pk).update(
            transport=transport, smtp_host=smtp_host, imap_host=imap_host
        )

    migration.pause_private_mailboxes(apps, None)

    states = {m.address.split("@")[0]: (m.state, m.paused_reason) for m in Mailbox.objects.all()}
    assert len(states) == 5
    assert states["smtp-private"][0] == MailboxState.PAUSED
    assert "SMTP server 127.1 is a private" in states["smtp-private"][1]
    assert states["imap-metadata"][0] == MailboxState.PAUSED
    assert "IMAP server 169.254.169.254" in states["imap-metadata"][1]
    for name in ("capture", "public", "allowed"):
        assert states[name] == (MailboxState.ACTIVE, "")
