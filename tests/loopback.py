"""Tiny servers on 127.0.0.1 (random ports) for delivery tests: an SMTP responder and an HTTP endpoint.

:class:`SmtpStub` speaks the subset of SMTP (RFC 5321) that :mod:`smtplib` uses — EHLO/HELO, STARTTLS
(RFC 3207), implicit TLS, AUTH PLAIN (RFC 4616), MAIL, RCPT, DATA, RSET, NOOP, QUIT — and keeps every
message it accepts. :class:`HttpStub` answers POSTs with a scripted status (after an optional delay) and
keeps every request. :func:`self_signed` makes a certificate for 127.0.0.1 with the ``openssl`` tool.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, cast


@dataclass
class Mail:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    user: str | None
    tls: bool

    def parsed(self) -> EmailMessage:
        return cast(EmailMessage, email.message_from_bytes(self.data, policy=email.policy.default))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    stub: SmtpStub

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client that hung up: not our test
        pass


class _SmtpSession(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.sock: socket.socket = self.request
        try:
            self.converse(self.server.stub)
        finally:
            self.sock.close()  # the TLS socket that replaced the request's, if any

    def converse(self, stub: SmtpStub) -> None:
        self.sock.settimeout(5)
        self.tls = False
        if stub.implicit_tls:
            assert stub.tls is not None
            self.sock = stub.tls.wrap_socket(self.sock, server_side=True)
            self.tls = True
        rfile = self.sock.makefile("rb")
        self.reply("220 127.0.0.1 stub ESMTP")
        user: str | None = None
        mail_from, rcpts = "", []
        while raw := rfile.readline():
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            if verb in ("EHLO", "HELO"):
                ext = []
                if stub.tls is not None and not self.tls:
                    ext.append("STARTTLS")
                if stub.users:
                    ext.append("AUTH PLAIN")
                lines = ["127.0.0.1", *ext]
                self.reply("\r\n".join(f"250{'-' if i < len(lines) - 1 else ' '}{t}" for i, t in enumerate(lines)))
            elif verb == "STARTTLS" and stub.tls is not None and not self.tls:
                self.reply("220 ready to start TLS")
                self.sock = stub.tls.wrap_socket(self.sock, server_side=True)
                self.tls = True
                rfile = self.sock.makefile("rb")
            elif verb == "AUTH" and arg.upper().startswith("PLAIN "):
                _authzid, login, password = base64.b64decode(arg.split()[1]).decode().split("\0")
                if stub.users.get(login) == password:
                    user = login
                    self.reply("235 2.7.0 authenticated")
                else:
                    self.reply("535 5.7.8 bad credentials")
            elif verb == "MAIL":
                if stub.users and user is None:
                    self.reply("530 5.7.0 authentication required")
                    continue
                mail_from, rcpts = arg.partition(":")[2].strip().strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                address = arg.partition(":")[2].strip().strip("<>")
                if stub.reject_rcpt:
                    self.reply(f"550 5.1.1 <{address}> no such user")  # servers echo the address
                else:
                    rcpts.append(address)
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                body = bytearray()
                while (chunk := rfile.readline()) not in (b".\r\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                stub.mails.append(Mail(mail_from, rcpts, bytes(body), user, self.tls))
                self.reply("250 2.0.0 queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                break
            else:
                self.reply("502 5.5.2 not implemented")

    def reply(self, text: str) -> None:
        self.sock.sendall(text.encode() + b"\r\n")


class SmtpStub:
    """``with SmtpStub() as smtp: ... smtp.port ... smtp.mails``."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        users: dict[str, str] | None = None,
        reject_rcpt: bool = False,
    ) -> None:
        self.tls = tls
        self.implicit_tls = implicit_tls
        self.users = users or {}
        self.reject_rcpt = reject_rcpt
        self.mails: list[Mail] = []
        self._server = _Server(("127.0.0.1", 0), _SmtpSession)
        self._server.stub = self
        self.port: int = self._server.server_address[1]

    def __enter__(self) -> SmtpStub:
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class Posted:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class HttpStub:
    """``with HttpStub(status=500) as gw: ... gw.url ... gw.requests``."""

    status: int = 200
    delay: float = 0.0
    location: str | None = None
    requests: list[Posted] = field(default_factory=list)

    def __post_init__(self) -> None:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(size).decode("utf-8"))
                stub.requests.append(Posted(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                time.sleep(stub.delay)
                self.send_response(stub.status)
                if stub.location:
                    self.send_header("Location", stub.location)
                payload = b'{"echo": "the gateway may echo the text"}'
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/sms/send"

    def __enter__(self) -> HttpStub:
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def closed_port() -> int:
    """A loopback port where nothing listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(directory: Path) -> tuple[Path, ssl.SSLContext] | None:
    """A certificate for 127.0.0.1 (the file to trust, and the server's context); None without openssl."""
    tool = shutil.which("openssl")
    if tool is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            tool,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context
