"""STARTTLS and implicit TLS against a real TLS SMTP server, with certificate verification on."""

from __future__ import annotations

import ssl

import pytest
from aiosmtpd.controller import Controller

from outreach.sending.mime import build_email
from outreach.sending.transport import DeliveryError, close, deliver
from outreach.services.mailboxes import mailbox_update
from tests.outreach.smtp_server import RecordingHandler, _authenticator, free_port
from tests.outreach.tls import make_certificates


@pytest.fixture
def certificates(tmp_path, monkeypatch):
    ca, cert, key = make_certificates(tmp_path)
    # The client trusts our test CA the way it trusts public ones: through OpenSSL's defaults.
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def start(handler, **tls) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_required=True,
        **tls,
    )
    controller.start()
    return controller, port


def outbound(mailbox):
    from outreach.models import OutboundMessage

    return OutboundMessage(
        message_id="<tls-test@mail.acme.test>",
        from_header=mailbox.from_header,
        to_email="ada@prospect.test",
        subject="TLS",
        body_text="Hello over TLS\n",
        unsubscribe_token="1.1.x",
    )


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_it_sends_over_tls_and_verifies_the_certificate(mailbox, certificates, security):
    handler = RecordingHandler()
    tls = (
        {"tls_context": certificates, "require_starttls": True}
        if security == "starttls"
        # aiosmtpd only counts STARTTLS as TLS for AUTH; here the whole connection is TLS.
        else {
            "server_hostname": "127.0.0.1",
            "ssl_context": certificates,
            "auth_require_tls": False,
        }
    )
    controller, port = start(handler, **tls)
    try:
        mailbox_update(mailbox=mailbox, data={"smtp_port": port, "smtp_security": security})
        deliver(mailbox, build_email(outbound(mailbox)))
        close(mailbox.pk)
    finally:
        controller.stop()
    assert [r.rcpt_tos for r in handler.received] == [["ada@prospect.test"]]


def test_an_untrusted_certificate_is_refused(mailbox, certificates, monkeypatch, tmp_path):
    other_ca, _, _ = make_certificates(
        tmp_path / "other" if (tmp_path / "other").mkdir() is None else tmp_path
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    controller, port = start(RecordingHandler(), tls_context=certificates, require_starttls=True)
    try:
        mailbox_update(mailbox=mailbox, data={"smtp_port": port, "smtp_security": "starttls"})
        with pytest.raises(DeliveryError) as exc:
            deliver(mailbox, build_email(outbound(mailbox)))
    finally:
        controller.stop()
    assert exc.value.kind == "transient"
    assert "CERTIFICATE_VERIFY_FAILED" in exc.value.message
