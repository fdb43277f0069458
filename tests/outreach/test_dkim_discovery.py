"""Learning the DKIM selector from a test message: a real signing SMTP server and a real Dovecot."""

from __future__ import annotations

import email
import email.policy
import imaplib
import time

import dkim
import pytest

from outreach.services.dkim_discovery import SUBJECT, dkim_selector_discover
from outreach.services.mailboxes import mailbox_create, mailbox_update
from tests.outreach.imap_server import PASSWORD as IMAP_PASSWORD
from tests.outreach.signing_smtp import SigningSmtpServer, rsa_key_pair


@pytest.fixture(scope="session")
def _key_pair():
    return rsa_key_pair()


@pytest.fixture
def provider(imap_server, _key_pair):
    """The provider's submission server, delivering into Dovecot."""
    server = SigningSmtpServer(imap_server, _key_pair[0]).start()
    yield server
    server.stop()


@pytest.fixture
def signed_mailbox(mailbox, inbox_user, provider):
    """The mailbox sends through the signing server; its own copy lands in its IMAP INBOX."""
    mailbox_update(mailbox=mailbox, data={"smtp_port": provider.port})
    provider.handler.mailboxes[mailbox.address] = inbox_user
    return mailbox


def inbox_subjects(imap_server, user: str) -> list[str]:
    imap = imaplib.IMAP4("127.0.0.1", imap_server.port)
    imap.login(user, IMAP_PASSWORD)
    imap.select("INBOX", readonly=True)
    _, data = imap.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    imap.logout()
    return [
        str(email.message_from_bytes(item[1])["Subject"])
        for item in data
        if isinstance(item, tuple)
    ]


def test_an_aligned_signature_gives_the_selector_and_it_is_saved(
    signed_mailbox, provider, imap_server, inbox_user, _key_pair
):
    provider.handler.signer = ("mail.acme.test", "k7")
    imap_server.append(
        inbox_user, b"Subject: a real reply\r\nMessage-ID: <r1@x.test>\r\n\r\nHi\r\n"
    )

    result = dkim_selector_discover(mailbox=signed_mailbox, timeout=10, poll_every=0.2)

    assert result.outcome == "found", result.message
    assert (result.selector, result.signing_domain, result.stored) == ("k7", "mail.acme.test", True)
    assert "'k7'" in result.message
    signed_mailbox.refresh_from_db()
    assert signed_mailbox.dkim_selector == "k7"
    # The signature the provider added is a real one, over the message the mailbox sent.
    (copy,) = provider.handler.delivered
    public = b"v=DKIM1; k=rsa; p=" + _key_pair[1]
    assert dkim.verify(copy, dnsfunc=lambda name, timeout=5: public)
    sent = email.message_from_bytes(copy, policy=email.policy.default)
    assert sent["To"] == signed_mailbox.address
    assert sent["Message-ID"].endswith("@mail.acme.test>")
    assert sent["Subject"] == SUBJECT
    # The test message is gone from the INBOX; the user's own mail stays.
    assert inbox_subjects(imap_server, inbox_user) == ["a real reply"]


def test_a_parent_domain_signature_is_aligned(signed_mailbox, provider):
    provider.handler.signer = ("acme.test", "google")

    result = dkim_selector_discover(mailbox=signed_mailbox, timeout=10, poll_every=0.2)

    assert (result.outcome, result.selector, result.signing_domain) == (
        "found",
        "google",
        "acme.test",
    )
    signed_mailbox.refresh_from_db()
    assert signed_mailbox.dkim_selector == "google"


def test_only_the_providers_signature_is_not_saved(
    signed_mailbox, provider, imap_server, inbox_user
):
    mailbox_update(mailbox=signed_mailbox, data={"dkim_selector": "s1"})
    provider.handler.signer = ("sendgrid.example", "smtpapi")

    result = dkim_selector_discover(mailbox=signed_mailbox, timeout=10, poll_every=0.2)

    assert result.outcome == "other_domain"
    assert not result.stored and result.selector == ""
    assert "signed only by sendgrid.example, not by mail.acme.test" in result.message
    assert result.other_signers == ["d=sendgrid.example s=smtpapi"]
    signed_mailbox.refresh_from_db()
    assert signed_mailbox.dkim_selector == "s1"  # unchanged
    assert inbox_subjects(imap_server, inbox_user) == []


def test_an_unsigned_message_says_so(signed_mailbox, provider):
    provider.handler.signer = None

    result = dkim_selector_discover(mailbox=signed_mailbox, timeout=10, poll_every=0.2)

    assert result.outcome == "unsigned"
    assert "without a DKIM-Signature" in result.message
    assert not result.stored
    signed_mailbox.refresh_from_db()
    assert signed_mailbox.dkim_selector == ""


def test_a_message_that_never_arrives_times_out(signed_mailbox, provider):
    provider.handler.signer = ("mail.acme.test", "k7")
    provider.handler.mailboxes.clear()  # accepted, never delivered

    started = time.monotonic()
    result = dkim_selector_discover(mailbox=signed_mailbox, timeout=0.6, poll_every=0.2)

    assert time.monotonic() - started < 5
    assert result.outcome == "not_received"
    assert "within 0.6 s" in result.message
    signed_mailbox.refresh_from_db()
    assert signed_mailbox.dkim_selector == ""


def test_the_smtp_servers_refusal_is_shown(signed_mailbox, smtp_server):
    mailbox_update(mailbox=signed_mailbox, data={"smtp_port": smtp_server.port})
    smtp_server.set_mode("5xx")

    result = dkim_selector_discover(mailbox=signed_mailbox, timeout=1, poll_every=0.2)

    assert result.outcome == "smtp_error"
    assert "554 5.7.1 Message rejected as spam" in result.message


def test_the_imap_servers_refusal_is_shown(signed_mailbox, provider):
    provider.handler.signer = ("mail.acme.test", "k7")
    mailbox_update(mailbox=signed_mailbox, data={"imap_password": "wrong"})

    result = dkim_selector_discover(mailbox=signed_mailbox, timeout=1, poll_every=0.2)

    assert result.outcome == "imap_error"
    assert "Authentication refused by the IMAP server" in result.message


def test_a_capture_mailbox_is_refused(workspace, sending_domain):
    from crm.errors import ValidationFailed
    from tests.outreach.conftest import WARM

    mailbox = mailbox_create(
        workspace=workspace,
        domain=sending_domain,
        address="demo@mail.acme.test",
        data={"transport": "capture", "ramp_starts_on": WARM},
    )
    with pytest.raises(ValidationFailed, match="capture mode"):
        dkim_selector_discover(mailbox=mailbox)


def test_the_api_finds_the_selector_and_hides_other_workspaces(
    api, signed_mailbox, provider, other_workspace
):
    from outreach.services.domains import sending_domain_create
    from tests.outreach.conftest import WARM

    provider.handler.signer = ("mail.acme.test", "selector1")
    response = api.post(f"/api/v1/mailboxes/{signed_mailbox.pk}/dkim-discovery")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["outcome"], body["selector"], body["stored"]) == ("found", "selector1", True)
    assert api.get(f"/api/v1/mailboxes/{signed_mailbox.pk}").json()["dkim_selector"] == "selector1"

    foreign_domain = sending_domain_create(
        workspace=other_workspace, domain="globex.test", added_on=WARM
    )
    foreign = mailbox_create(
        workspace=other_workspace,
        domain=foreign_domain,
        address="x@globex.test",
        data={"transport": "capture", "ramp_starts_on": WARM},
    )
    assert api.post(f"/api/v1/mailboxes/{foreign.pk}/dkim-discovery").status_code == 404
    demo = mailbox_create(
        workspace=signed_mailbox.workspace,
        domain=signed_mailbox.domain,
        address="demo@mail.acme.test",
        data={"transport": "capture", "ramp_starts_on": WARM},
    )
    refused = api.post(f"/api/v1/mailboxes/{demo.pk}/dkim-discovery")
    assert refused.status_code == 422
    assert "capture mode" in refused.json()["detail"]


def test_the_mailbox_page_button_shows_the_result(web, signed_mailbox, provider, other_workspace):
    from outreach.services.domains import sending_domain_create
    from tests.outreach.conftest import WARM

    page = web.get(f"/w/acme/outreach/mailboxes/{signed_mailbox.pk}/")
    assert "Find DKIM selector" in page.content.decode()
    provider.handler.signer = ("sendgrid.example", "s1")
    response = web.post(
        f"/w/acme/outreach/mailboxes/{signed_mailbox.pk}/dkim-selector/", follow=True
    )
    assert response.status_code == 200
    assert "signed only by sendgrid.example" in response.content.decode()

    provider.handler.signer = ("mail.acme.test", "k2")
    response = web.post(
        f"/w/acme/outreach/mailboxes/{signed_mailbox.pk}/dkim-selector/", follow=True
    )
    assert "saved as this mailbox" in response.content.decode()
    signed_mailbox.refresh_from_db()
    assert signed_mailbox.dkim_selector == "k2"

    foreign_domain = sending_domain_create(
        workspace=other_workspace, domain="globex.test", added_on=WARM
    )
    foreign = mailbox_create(
        workspace=other_workspace,
        domain=foreign_domain,
        address="x@globex.test",
        data={"transport": "capture", "ramp_starts_on": WARM},
    )
    assert web.post(f"/w/acme/outreach/mailboxes/{foreign.pk}/dkim-selector/").status_code == 404
