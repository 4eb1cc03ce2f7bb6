"""Real SMTP servers on loopback ports for the tests: one that records (and can be told to
answer 4xx/5xx), one that accepts connections and never answers.

Tests get them through the fixtures in tests/conftest.py: ``smtp`` (a recording server that is
the app's mail server), ``mail_server`` (the same with a choice of server) and ``smtp_servers``
(servers for other processes); each stops what it started.
"""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it accepts; ``script`` holds the next replies."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        #: Each accepted message's bytes exactly as they came over the wire.
        self.raw: list[bytes] = []
        self.script: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.lock:
            if self.script:
                reply = self.script.pop(0)
                if not reply.startswith("250"):
                    return reply
            message = message_from_bytes(envelope.content, policy=default)
            message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
            self.messages.append(message)  # type: ignore[arg-type]
            self.raw.append(envelope.content)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


class SMTPServer:
    """aiosmtpd on a port of its own; until ``start()`` nothing listens there (a server down)."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.running = False

    def start(self) -> SMTPServer:
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False


class SilentServer:
    """Accepts TCP connections and never says a word: a hung mail server."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = int(self.sock.getsockname()[1])
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)

    def stop(self) -> None:
        self.sock.close()
        for connection in self.connections:
            connection.close()


class MailServers:
    """The servers one test started; ``stop()`` stops them all."""

    def __init__(self) -> None:
        self.started: list[SMTPServer | SilentServer] = []

    def recording(self, *, started: bool = True) -> SMTPServer:
        """A server that keeps what it accepts; ``started=False``: down until ``start()``."""
        server = SMTPServer()
        self.started.append(server)
        return server.start() if started else server

    def silent(self) -> SilentServer:
        server = SilentServer()
        self.started.append(server)
        return server

    def stop(self) -> None:
        for server in self.started:
            server.stop()
