"""A real IMAP server for tests: Debian's dovecot, unprivileged port, its own config in a temp dir.

passwd-file authentication, maildir storage; every test gets a fresh user (so a fresh INBOX).
Runs as the current user, or, when tests run as root (containers), with dovecot's own system
users, as dovecot refuses to run its login processes as root.
"""

from __future__ import annotations

import imaplib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.outreach.smtp_server import free_port

PASSWORD = "imap-secret"
ACCOUNTS = 200

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class ImapServer:
    def __init__(self, dovecot: str) -> None:
        self.dovecot = dovecot
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="kindling-dovecot-"))
        self.root.chmod(0o755)  # dovecot's auth process reads the passwd file
        self._users = itertools.count(1)
        self.process: subprocess.Popen | None = None

    def start(self) -> ImapServer:
        if os.geteuid() == 0:
            internal, login = pwd.getpwnam("dovecot"), "dovenull"
        else:
            internal, login = pwd.getpwuid(os.getuid()), pwd.getpwuid(os.getuid()).pw_name
        for sub in ("mail", "home"):
            (self.root / sub).mkdir()
            os.chown(self.root / sub, internal.pw_uid, internal.pw_gid)
        # All accounts up front: dovecot re-reads a passwd-file by its mtime, which has a
        # one-second resolution, so accounts added later could stay unknown.
        (self.root / "passwd").write_text(
            "".join(f"{self._name(n)}:{{PLAIN}}{PASSWORD}\n" for n in range(1, ACCOUNTS + 1))
        )
        (self.root / "passwd").chmod(0o644)
        (self.root / "dovecot.conf").write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                internal_user=internal.pw_name,
                internal_group=internal.pw_name,
                login_user=login,
                uid=internal.pw_uid,
                gid=internal.pw_gid,
            )
        )
        self.process = subprocess.Popen(
            [self.dovecot, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                # Ready when a login process greets us, not merely when the port is open.
                imaplib.IMAP4("127.0.0.1", self.port, timeout=1).logout()
                return self
            except (OSError, imaplib.IMAP4.error):
                if self.process.poll() is not None:
                    stderr = self.process.stderr.read() if self.process.stderr else b""
                    raise RuntimeError(f"dovecot did not start: {stderr!r}") from None
                time.sleep(0.05)
        raise RuntimeError("dovecot did not open its port")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)

    @staticmethod
    def _name(n: int) -> str:
        return f"inbox{n}@mail.acme.test"

    def new_user(self) -> str:
        """An account never used before in this session: an empty INBOX."""
        n = next(self._users)
        assert n <= ACCOUNTS, "raise ACCOUNTS"
        return self._name(n)

    def append(self, user: str, raw: bytes) -> None:
        """Deliver a message to the user's INBOX the way a mail client would (IMAP APPEND)."""
        imap = imaplib.IMAP4("127.0.0.1", self.port)
        imap.login(user, PASSWORD)
        typ, data = imap.append(
            "INBOX", None, None, raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        )
        assert typ == "OK", data
        imap.logout()

    def reset_uidvalidity(self, user: str) -> None:
        """Throw the user's mail store away: the INBOX comes back with a new UIDVALIDITY."""
        time.sleep(1.1)  # UIDVALIDITY is derived from the clock
        shutil.rmtree(self.root / "mail" / user, ignore_errors=True)
