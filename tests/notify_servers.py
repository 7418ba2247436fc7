"""Real servers on the loopback address for the messages' tests: an SMTP server (aiosmtpd)
that keeps what it received and can refuse the first messages with 451, and a stand-in SMS
gateway (stdlib HTTP server) that honours the ``reference`` as the contract asks."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server accepted; ``refuse`` first messages get 451 (try later)."""

    refuse: int = 0
    delay_s: float = 0.0  # how long the server takes before it answers the message
    received: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        with self.lock:
            content = envelope.original_content or envelope.content or b""
            assert isinstance(content, bytes)
            mail = message_from_bytes(content, policy=policy.default)
            assert isinstance(mail, EmailMessage)
            self.received.append(mail)
        return "250 OK"

    def ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.received]


@contextmanager
def smtp_server(mailbox: Mailbox) -> Iterator[int]:
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@dataclass
class Gateway:
    """Texts the stand-in gateway took, one per reference however often it was posted."""

    token: str = "test-token"
    fail: int = 0  # the first posts answered 503
    delay_s: float = 0.0  # how long it takes before it answers
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)
    posts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def sms_gateway(gateway: Gateway) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if gateway.delay_s:
                time.sleep(gateway.delay_s)
            with gateway.lock:
                gateway.posts += 1
                if self.headers.get("Authorization") != f"Bearer {gateway.token}":
                    return self._answer(401, {"error": "unauthorised"})
                if gateway.fail > 0:
                    gateway.fail -= 1
                    return self._answer(503, {"error": "busy"})
                ref = str(body.get("reference") or "")
                if not ref or not body.get("to") or not body.get("text"):
                    return self._answer(400, {"error": "to, text and reference"})
                gateway.texts.setdefault(ref, body)  # a known reference: the same message
                self._answer(200, {"id": f"gw-{ref}"})

        def _answer(self, status: int, payload: dict[str, str]) -> None:
            raw = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except OSError:  # the sender was killed before it read the answer
                pass

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    finally:
        server.shutdown()
        server.server_close()
