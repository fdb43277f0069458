"""Outreach fixtures: a real SMTP server on loopback, a warm domain, mailboxes, a sequence."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.core.management import call_command
from django.db import connection, connections

from outreach.sending import transport
from outreach.services.domains import sending_domain_create
from outreach.services.mailboxes import mailbox_create
from outreach.services.sequences import sequence_activate, sequence_create, step_add
from tests.outreach.smtp_server import PASSWORD, USERNAME, SmtpServer

WARM = dt.date(2020, 1, 1)  # added long ago: warm, and far past any ramp


@pytest.fixture(scope="session")
def _smtp_server_process():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def loopback_mail_servers(settings):
    """The tests' SMTP and IMAP servers listen on 127.0.0.1: allowed although private."""
    settings.OUTBOUND_ALLOW_PRIVATE = [*settings.OUTBOUND_ALLOW_PRIVATE, "127.0.0.1"]


@pytest.fixture
def https_site_url(settings):
    """Mail with an unsubscribe link leaves an SMTP mailbox only while SITE_URL is https."""
    settings.SITE_URL = "https://crm.acme.test"


@pytest.fixture
def smtp_server(_smtp_server_process, loopback_mail_servers, https_site_url):
    """The loopback SMTP server, emptied and accepting mail again for each test."""
    _smtp_server_process.handler.received.clear()
    _smtp_server_process.set_mode("accept")
    return _smtp_server_process


@pytest.fixture(autouse=True)
def _fresh_smtp_connections():
    yield
    for mailbox_id in list(transport._local.__dict__.get("pool", {})):
        transport.close(mailbox_id)


@pytest.fixture
def sending_domain(workspace):
    return sending_domain_create(workspace=workspace, domain="mail.acme.test", added_on=WARM)


def smtp_settings(server: SmtpServer, **extra) -> dict:
    return {
        "transport": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_security": "none",
        "smtp_username": USERNAME,
        "smtp_password": PASSWORD,
        "gap_min_seconds": 0,
        "gap_max_seconds": 0,
        "window_weekdays": [0, 1, 2, 3, 4, 5, 6],
        "window_start": dt.time(0, 0),
        "window_end": dt.time(23, 59, 59),
        "ramp_starts_on": WARM,
        **extra,
    }


@pytest.fixture
def mailbox(workspace, sending_domain, smtp_server):
    return mailbox_create(
        workspace=workspace,
        domain=sending_domain,
        address="sender@mail.acme.test",
        data={"display_name": "Olivia Hart", **smtp_settings(smtp_server)},
    )


@pytest.fixture
def sequence(workspace, mailbox):
    sequence = sequence_create(workspace=workspace, name="Founders Q3", mailboxes=[mailbox])
    step_add(
        sequence=sequence,
        subject="{Quick question|A thought} for {{company|your team}}",
        body="{Hi|Hello} {{first_name|there}},\n\nSaw your post about hiring SDRs.\n",
    )
    step_add(
        sequence=sequence,
        subject="",
        body="Bumping this, {{first_name|there}}.\n",
        delay_days=3,
        same_thread=True,
    )
    return sequence_activate(sequence=sequence)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The persona fixtures hash passwords; the default hasher costs ~0.1 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def concurrent_db(tmp_path, transactional_db):
    """On SQLite, a database file for the duration of the test.

    The test database is in memory with a shared cache, where a second writer gets "table is
    locked" at once instead of waiting; a file in WAL mode with IMMEDIATE transactions is what
    production runs, and waits for the lock (busy timeout) as it should.
    """
    if connection.vendor != "sqlite":
        yield
        return
    # Django never closes an in-memory SQLite connection (that would drop the test database), so
    # the file gets its own connection object, here and in every thread started meanwhile.
    memory = connections["default"]
    path = tmp_path / "proof.sqlite3"
    if _MIGRATED_TEMPLATE:
        shutil.copy(_MIGRATED_TEMPLATE[0], path)
    file_settings = {**memory.settings_dict, "NAME": str(path)}
    connections.settings["default"] = file_settings
    connections["default"] = memory.__class__(file_settings, "default")
    if not _MIGRATED_TEMPLATE:
        call_command("migrate", verbosity=0)
        connection.close()
        template = tmp_path.parent / "proof-template.sqlite3"
        shutil.copy(path, template)
        _MIGRATED_TEMPLATE.append(template)
    yield
    connections["default"].close()
    connections.settings["default"] = memory.settings_dict
    connections["default"] = memory


_MIGRATED_TEMPLATE: list = []  # one migrated file per session, copied for each test


@pytest.fixture(scope="session")
def _imap_server_process():
    from tests.conftest import require_program

    dovecot = require_program("/usr/sbin/dovecot", "the IMAP inbox sync tests need a real server")
    from tests.outreach.imap_server import ImapServer

    server = ImapServer(dovecot).start()
    yield server
    server.stop()


@pytest.fixture
def imap_server(_imap_server_process, loopback_mail_servers):
    return _imap_server_process


@pytest.fixture
def inbox_user(imap_server, mailbox):
    """A fresh IMAP account, set as the mailbox's inbox."""
    from outreach.services.mailboxes import mailbox_update
    from tests.outreach.imap_server import PASSWORD

    user = imap_server.new_user()
    mailbox_update(
        mailbox=mailbox,
        data={
            "imap_host": "127.0.0.1",
            "imap_port": imap_server.port,
            "imap_security": "none",
            "imap_username": user,
            "imap_password": PASSWORD,
        },
    )
    return user
