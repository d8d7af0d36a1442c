"""Delivery status notifications (RFC 3464 multipart/report DSNs) read from a mailbox
export, parsed with the standard library's `email` and `mailbox` packages.

A DSN is tied back to the Vigie message it reports on by the original Message-ID
(`<key@vigie.invalid>`, from the returned headers or message) or, failing that, by the
envelope id Vigie asked the relay to carry (ENVID). Its per-recipient `Action` gives the
outcome: `delivered`, `failed` (a bounce), or `delayed` / `relayed` / `expanded`, which
settle nothing yet.

A bounce mailbox is untidy: out-of-office replies and ordinary mail are not reports and
are passed over; a message that claims to be a delivery report but breaks RFC 3464 (no
delivery-status part, no per-recipient block, an unknown Action, a bad Status code) is a
`MalformedReport` naming the file, which the caller skips and counts. Nothing here reads
or returns an address.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.errors import MessageError
from email.message import EmailMessage, Message, MIMEPart
from email.parser import HeaderParser
from pathlib import Path

from vigie.errors import InputError
from vigie.notify.channels import SmtpChannel

ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded")
STATUS = re.compile(r"[245]\.[0-9]{1,3}\.[0-9]{1,3}")
ENVELOPE_ID = re.compile(r"[0-9a-f]{40}")
MAX_REPORT_BYTES = 10 << 20       # a DSN carries at most our own message back


class MalformedReport(Exception):
    """A message that says it is a delivery report but does not follow RFC 3464."""


@dataclass(frozen=True)
class Report:
    """One delivery report: the Vigie idempotency key it is about (None when it is about
    a message Vigie did not send), the action and the RFC 3463 status code."""

    key: str | None
    action: str
    status: str


def messages(path: Path) -> Iterator[tuple[str, bytes]]:
    """(label, raw bytes) of every message under `path`: one .eml file, an mbox file, a
    Maildir, or a folder of .eml files (sorted). Labels name the file (and the message
    number in an mbox) for warnings."""
    if path.is_dir():
        if all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            box: mailbox.Mailbox = mailbox.Maildir(path, create=False)
            for key in sorted(box.keys()):
                yield f"{path}: message {key}", box.get_bytes(key)
            return
        for file in sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml"):
            yield str(file), _read(file)
        return
    if not path.is_file():
        raise InputError(path, "no such file or folder")
    head = _read(path, limit=5)
    if head.startswith(b"From "):
        box = mailbox.mbox(path, create=False)
        for number, key in enumerate(box.keys(), start=1):
            yield f"{path}: message {number}", box.get_bytes(key)
        return
    yield str(path), _read(path)


def _read(path: Path, limit: int | None = None) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_REPORT_BYTES + 1 if limit is None else limit)
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None


def parse(raw: bytes) -> Report | None:
    """The report in one message; None when the message is not a delivery report."""
    if len(raw) > MAX_REPORT_BYTES:
        raise MalformedReport(f"larger than {MAX_REPORT_BYTES >> 20} MiB")
    try:
        return _parse(message_from_bytes(raw, policy=policy.default))
    except (MessageError, ValueError, LookupError) as exc:    # the email package on hostile bytes
        raise MalformedReport(f"cannot be parsed ({type(exc).__name__})") from None


def _parse(message: EmailMessage) -> Report | None:
    if message.get_content_type() != "multipart/report" or \
            str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    parts = list(message.iter_parts()) if message.is_multipart() else []
    status_part = next((p for p in parts if p.get_content_type() == "message/delivery-status"),
                       None)
    if status_part is None:
        raise MalformedReport("no message/delivery-status part")
    blocks = status_part.get_payload()
    if not isinstance(blocks, list) or len(blocks) < 2:
        raise MalformedReport("no per-recipient block in the delivery-status part")
    per_message, recipients = blocks[0], blocks[1:]
    if not isinstance(per_message, Message):
        raise MalformedReport("the delivery-status part has no per-message block")
    outcomes = []
    for block in recipients:
        if not isinstance(block, Message):
            raise MalformedReport("a recipient block is not a header block")
        action = str(block.get("Action", "")).strip().lower()
        status = str(block.get("Status", "")).strip().split(" ")[0]
        if action not in ACTIONS:
            raise MalformedReport("a recipient block has no valid Action field")
        if not STATUS.fullmatch(status):
            raise MalformedReport("a recipient block has no valid Status code")
        outcomes.append((action, status))
    # One recipient per Vigie message; with several, a failure outweighs the rest.
    action, status = min(outcomes, key=lambda o: ACTIONS.index(o[0]))
    return Report(_original_key(parts) or _envelope_key(per_message), action, status)


def _original_key(parts: list[MIMEPart]) -> str | None:
    """The key in the returned message's Message-ID (RET=HDRS or RET=FULL)."""
    for part in parts:
        kind = part.get_content_type()
        if kind == "text/rfc822-headers":
            headers: Message = HeaderParser(policy=policy.default).parsestr(part.get_content())
        elif kind == "message/rfc822" and isinstance(payload := part.get_payload(), list) \
                and isinstance(payload[0], Message):
            headers = payload[0]
        else:
            continue
        key = SmtpChannel.key_from_message_id(str(headers.get("Message-ID", "")))
        if key:
            return key
    return None


def _envelope_key(per_message: Message) -> str | None:
    """The ENVID Vigie gave the relay, echoed as Original-Envelope-Id."""
    envid = str(per_message.get("Original-Envelope-Id", "")).strip().lower()
    return envid if ENVELOPE_ID.fullmatch(envid) else None
