"""A real SMTP server on a free local port (aiosmtpd) that can refuse mail, then accept it."""

from dataclasses import dataclass, field
import socket

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class _Handler:
    refusing: bool = False
    received: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refusing:
            return "451 4.3.0 Mailbox temporarily unavailable (test server refusing)"
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


class SmtpServer:
    """``received``: (recipients, raw message) of every mail accepted; ``refusing`` switches."""

    def __init__(self):
        self.port = free_port()
        self.handler = _Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.running = False

    @property
    def received(self) -> list:
        return self.handler.received

    def refuse(self, refusing: bool = True) -> None:
        self.handler.refusing = refusing

    def start(self) -> "SmtpServer":
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False
