"""Sending channels: SMTP e-mail, an SMS gateway over HTTP, postal letters as PDF files.

Each channel sends one drafted message under an idempotency key and can be asked whether
the provider already has a message with that key (lookup), which is how a sender that
was killed between "sent" and "recorded" finds out what happened instead of re-sending
blindly. Errors are Bounce (permanent: try the next channel) or TransientError (retry
with backoff). Their texts carry status codes only, never an address.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr
from pathlib import Path

from vigie.incidents.register import formula_safe
from vigie.notify.pdf import render
from vigie.paths import write_private


MESSAGE_ID = re.compile(r"<([0-9a-fA-F]{40})@vigie\.invalid>")
# SMS gateway receipt states that mean the message will never arrive.
UNDELIVERED = frozenset({"undeliverable", "undelivered", "failed", "rejected", "expired"})


class Bounce(Exception):
    """Permanent refusal (unknown mailbox, invalid number): fall back to the next channel."""


class TransientError(Exception):
    """Temporary failure (connection, 4xx SMTP, 5xx HTTP): retry later."""


def _http(request: urllib.request.Request, timeout: float) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise TransientError(f"gateway unreachable ({type(exc).__name__})") from None


class SmtpChannel:
    """E-mail through an SMTP relay. The Message-ID is derived from the idempotency key;
    with status_url (the relay's message log, GET {status_url}/{message-id} -> 200/404)
    an in-doubt message is reconciled, without it it is re-sent under the same
    Message-ID, which receiving systems use to drop duplicates."""

    name = "email"

    def __init__(self, host: str, port: int, *, status_url: str | None = None,
                 timeout: float = 10.0):
        self.host, self.port, self.status_url, self.timeout = host, port, status_url, timeout
        self._smtp: smtplib.SMTP | None = None

    @staticmethod
    def message_id(key: str) -> str:
        return f"<{key}@vigie.invalid>"

    @staticmethod
    def key_from_message_id(message_id: str) -> str | None:
        """The idempotency key back from a Message-ID Vigie set (None for any other)."""
        found = MESSAGE_ID.fullmatch(message_id.strip())
        return found.group(1).lower() if found else None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                self._smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            except OSError as exc:
                raise TransientError(f"SMTP relay unreachable ({type(exc).__name__})") from None
        return self._smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def send(self, file: Path, key: str) -> str:
        raw = file.read_bytes()
        # Only the headers are parsed (compat32 parser: the full policy-aware parse costs
        # ~10 ms a message); the drafted .eml carries no Message-ID, ours is prepended.
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
        sender = parseaddr(str(headers.get("From", "")))[1]
        recipient = parseaddr(str(headers.get("To", "")))[1]
        if not recipient:
            raise Bounce("no recipient address")
        data = f"Message-ID: {self.message_id(key)}\n".encode("ascii") + raw
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")   # SMTP wants CRLF
        try:
            smtp = self._connection()
            smtp.ehlo_or_helo_if_needed()
            # A relay that speaks DSN (RFC 3461) is asked for success receipts as well as
            # bounces, with our key as envelope id and only the headers returned.
            mail_options, rcpt_options = (
                (["RET=HDRS", f"ENVID={key}"], ["NOTIFY=SUCCESS,FAILURE,DELAY"])
                if smtp.has_extn("dsn") else ([], []))
            smtp.sendmail(sender, [recipient], data, mail_options, rcpt_options)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {code for code, _ in exc.recipients.values()}
            if all(code >= 500 for code in codes):
                raise Bounce(f"recipient refused (SMTP {min(codes)})") from None
            raise TransientError(f"recipient deferred (SMTP {min(codes)})") from None
        except smtplib.SMTPResponseException as exc:
            self._drop()
            if exc.smtp_code >= 500:
                raise Bounce(f"message refused (SMTP {exc.smtp_code})") from None
            raise TransientError(f"message deferred (SMTP {exc.smtp_code})") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TransientError(f"SMTP failure ({type(exc).__name__})") from None
        return self.message_id(key)

    def lookup(self, key: str) -> str | None:
        if not self.status_url:
            return None
        url = f"{self.status_url.rstrip('/')}/{urllib.parse.quote(self.message_id(key), safe='')}"
        status, _ = _http(urllib.request.Request(url), self.timeout)
        if status == 200:
            return self.message_id(key)
        if status == 404:
            return None
        raise TransientError(f"relay status lookup failed (HTTP {status})")

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None


class SmsGatewayChannel:
    """SMS over an HTTP gateway: POST {url}/messages {to, text, idempotency_key} with a
    bearer token -> {"id": ...}; GET {url}/messages/{key} -> 200 {"id", "status"} or 404,
    `status` being the operator's delivery receipt: "delivered", one of UNDELIVERED
    (permanent failure), or anything else while the receipt has not come back."""

    name = "sms"

    def __init__(self, url: str, token: str, *, timeout: float = 10.0):
        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout

    def _request(self, path: str, data: bytes | None = None) -> urllib.request.Request:
        headers = {"Authorization": f"Bearer {self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        return urllib.request.Request(self.url + path, data=data, headers=headers,
                                      method="POST" if data is not None else "GET")

    def send(self, file: Path, key: str) -> str:
        sms = json.loads(file.read_text(encoding="utf-8"))
        body = json.dumps({"to": sms["to"], "text": sms["text"], "idempotency_key": key})
        status, payload = _http(self._request("/messages", body.encode()), self.timeout)
        if 200 <= status < 300:
            return str(json.loads(payload)["id"])
        if status in (400, 404, 410, 422):
            raise Bounce(f"gateway refused the number (HTTP {status})")
        raise TransientError(f"gateway error (HTTP {status})")

    def lookup(self, key: str) -> str | None:
        status, payload = _http(self._request(f"/messages/{urllib.parse.quote(key)}"),
                                self.timeout)
        if status == 200:
            return str(json.loads(payload)["id"])
        if status == 404:
            return None
        raise TransientError(f"gateway lookup failed (HTTP {status})")

    def receipt(self, key: str) -> str | None:
        """'delivered', 'bounced' (the operator could not deliver), or None (no receipt
        yet, or a message the gateway does not know)."""
        status, payload = _http(self._request(f"/messages/{urllib.parse.quote(key)}"),
                                self.timeout)
        if status == 404:
            return None
        if status != 200:
            raise TransientError(f"gateway receipt lookup failed (HTTP {status})")
        try:
            state = str(json.loads(payload).get("status", "")).lower()
        except (ValueError, AttributeError):
            raise TransientError("gateway receipt is not a JSON object") from None
        return "delivered" if state == "delivered" else \
            "bounced" if state in UNDELIVERED else None

    def close(self) -> None:
        """Nothing to release (one HTTP request per call)."""


class LetterChannel:
    """Postal letters: one print-ready PDF per letter in a batch folder (written to a
    temporary name then renamed, so a file that exists is complete); the batch's
    manifest.csv is rewritten from the ledger at the end of each run."""

    name = "letter"

    def __init__(self, batch_dir: Path):
        self.batch_dir = Path(batch_dir)
        self.batch_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.batch_dir, 0o700)

    def path(self, key: str) -> Path:
        return self.batch_dir / f"{key}.pdf"

    def send(self, file: Path, key: str) -> str:
        target = self.path(key)
        temporary = target.with_suffix(".tmp")
        write_private(temporary, render(file.read_text(encoding="utf-8")))
        os.replace(temporary, target)
        return target.name

    def lookup(self, key: str) -> str | None:
        return self.path(key).name if self.path(key).exists() else None

    def write_manifest(self, letters: list[tuple[str, str, str]]) -> Path:
        """The batch's manifest.csv: file,registry_id,kinds for every letter sent."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("file", "registry_id", "kinds"))
        writer.writerows([formula_safe(v) for v in letter] for letter in letters)
        path = self.batch_dir / "manifest.csv"
        write_private(path, buffer.getvalue())
        return path

    def close(self) -> None:
        """Nothing to release."""

