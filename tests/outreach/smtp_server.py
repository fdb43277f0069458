"""A real SMTP server on loopback (aiosmtpd) that records what it receives and can misbehave.

``server.mode`` decides the answer to the next messages: "accept", "4xx", "5xx", "drop" (close
the connection in the middle of DATA, after the message was fully received), "hang" (receive
the message and never answer).
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from dataclasses import dataclass, field
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME = "sender@mail.acme.test"
PASSWORD = "s3cret-smtp"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    mail_options: list[str] = field(default_factory=list)  # MAIL FROM parameters (SMTPUTF8 …)

    @property
    def message(self) -> email.message.Message:
        return email.message_from_bytes(self.raw)


@dataclass
class RecordingHandler:
    mode: str = "accept"
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "5xx-rcpt":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "4xx":
            return "451 4.7.1 Greylisted, try again later"
        if self.mode == "5xx":
            return "554 5.7.1 Message rejected as spam"
        with self.lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    envelope.content,
                    list(envelope.mail_options),
                )
            )
        if self.mode == "hang":  # holds the reply: the client is stuck mid-send
            await asyncio.sleep(60)
        if self.mode == "drop":
            server.transport.close()
            return "421 closing"
        return "250 2.0.0 Queued"


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USERNAME
        and auth_data.password.decode() == PASSWORD
    )
    # handled=False: aiosmtpd then answers "535 5.7.8" itself (handled=True would stay silent).
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """aiosmtpd on loopback requiring AUTH LOGIN; ``handler`` decides what DATA does.

    It offers 8BITMIME always and SMTPUTF8 only when ``smtputf8`` is set.
    """

    def __init__(self, handler: object | None = None, *, smtputf8: bool = False) -> None:
        self.handler: Any = handler or RecordingHandler()
        self.port = free_port()
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_authenticator,
            auth_required=True,
            auth_require_tls=False,
            enable_SMTPUTF8=smtputf8,
        )

    def start(self) -> Self:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def set_mode(self, mode: str) -> None:
        self.handler.mode = mode
