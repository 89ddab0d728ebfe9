"""A real SMTP server for the accounts' e-mail tests: aiosmtpd on a free local port, keeping what it
received. Use the fixture `smtp_server` (import it into the test module) and `smtp_settings(settings,
server)` to point the portal at it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd's handler API
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@dataclass
class SmtpServer:
    host: str
    port: int
    received: Received

    @property
    def messages(self) -> list[EmailMessage]:
        return self.received.messages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    received = Received()
    port = _free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, received)
    finally:
        controller.stop()


def smtp_settings(settings, server: SmtpServer, **overrides):  # noqa: ANN001, ANN201
    """The test settings sending through `server` (plain SMTP, no login) with the public address."""
    values = {"smtp_host": server.host, "smtp_port": server.port, "smtp_tls": "none", "smtp_from": "BKPSDM <noreply@kompetensi.test>",
              "base_url": "https://kompetensi.test"} | overrides
    return replace(settings, **values)


def text_body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None, "the e-mail has no plain-text part"
    return part.get_content()
