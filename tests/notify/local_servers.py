"""Real local servers for the sending tests: an SMTP server (aiosmtpd) that records every
message and refuses mailboxes at bounce.exemple.test, and an HTTP server that is both
the SMS gateway (POST /messages, GET /messages/<key> with the operator's delivery
receipt in "status") and the SMTP relay's message log (GET /status/<message-id>).

With `dsn=True` the SMTP server also speaks the DSN extension (RFC 3461): it advertises
DSN and records the MAIL (RET, ENVID) and RCPT (NOTIFY) parameters it was given."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections import Counter
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

TOKEN = "jeton-de-test"
BOUNCE_DOMAIN = "bounce.exemple.test"


class MailLog:
    """What the SMTP server accepted: one entry per (recipient, message), and the DSN
    parameters of each message when the server speaks DSN."""

    def __init__(self, dsn: bool = False):
        self.lock = threading.Lock()
        self.dsn = dsn
        self.messages: list[tuple[str, str, bytes]] = []     # (rcpt, message-id, raw)
        self.message_ids: set[str] = set()
        # message-id -> (MAIL parameters, RCPT parameters)
        self.dsn_options: dict[str, tuple[list[str], list[str]]] = {}

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-DSN", responses[-1]] if self.dsn else responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@" + BOUNCE_DOMAIN):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, message["Message-ID"], envelope.content))
            self.message_ids.add(message["Message-ID"])
            self.dsn_options[message["Message-ID"]] = (list(envelope.mail_options),
                                                        list(envelope.rcpt_options))
        return "250 Message accepted"

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(rcpt for rcpt, _, _ in self.messages)


class DsnSMTP(SMTP):
    """aiosmtpd refuses MAIL / RCPT parameters it does not implement; this server takes
    the DSN ones (the handler records them from the envelope)."""

    def _getparams(self, params):
        result = super()._getparams(params)
        if result is not None:
            for name in ("RET", "ENVID", "NOTIFY", "ORCPT"):
                result.pop(name, None)
        return result


class DsnController(Controller):
    def factory(self):
        return DsnSMTP(self.handler, **self.SMTP_kwargs)


class SmsLog:
    """SMS the gateway took. Receipts: 'delivered', except for numbers in `undeliverable`
    ('undeliverable') or in `no_receipt_yet` ('accepted')."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_key: dict[str, dict] = {}
        self.posts: list[dict] = []
        self.undeliverable: set[str] = set()
        self.no_receipt_yet: set[str] = set()

    def receipt(self, entry: dict) -> dict:
        status = ("undeliverable" if entry["to"] in self.undeliverable else
                  "accepted" if entry["to"] in self.no_receipt_yet else "delivered")
        return {**entry, "status": status}


def _handler(sms: SmsLog, mail: MailLog):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):      # keep test output quiet
            pass

        def _reply(self, status: int, body: dict | None = None):
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path.startswith("/status/"):
                message_id = urllib.parse.unquote(self.path[len("/status/"):])
                with mail.lock:
                    found = message_id in mail.message_ids
                return self._reply(200 if found else 404)
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._reply(401)
            key = urllib.parse.unquote(self.path.rsplit("/", 1)[-1])
            with sms.lock:
                entry = sms.by_key.get(key)
            return self._reply(200, sms.receipt(entry)) if entry else self._reply(404)

        def do_POST(self):
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._reply(401)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if not body["to"].startswith("+33"):
                return self._reply(422, {"error": "invalid number"})
            with sms.lock:
                sms.posts.append(body)
                entry = {"id": f"sms-{len(sms.posts)}", "to": body["to"]}
                sms.by_key[body["idempotency_key"]] = entry
            return self._reply(201, entry)
    return Handler


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    """Start both servers on free loopback ports; stop() shuts them down."""

    def __init__(self, dsn: bool = False):
        self.mail = MailLog(dsn)
        self.sms = SmsLog()
        self.smtp_port = _free_port()
        self.smtp = (DsnController if dsn else Controller)(self.mail, hostname="127.0.0.1",
                                                            port=self.smtp_port)
        self.smtp.start()
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.sms, self.mail))
        self.http_thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.http_thread.start()
        base = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.sms_url = base
        self.status_url = base + "/status"

    def stop(self):
        self.http.shutdown()
        self.http.server_close()
        self.smtp.stop()
