"""`vigie notify receipts`: delivery receipts into the sending ledger, so the counts the
complementary CNIL notification gives say how many messages were delivered, not only
sent, and a late bounce moves the patient on to the next channel at the next `send`.

Two sources: e-mail delivery status notifications (RFC 3464) exported from the sender's
mailbox (dsn.py reads them), and the SMS gateway's receipts, polled for every SMS the
ledger holds as sent. Each run is one chronology entry with its counts; running it twice
changes nothing the second time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from vigie.incidents.register import load_incident, record_event
from vigie.incidents.tables import outbox
from vigie.notify import dsn
from vigie.notify.channels import TransientError
from vigie.notify.ledger import apply_receipt

# RFC 3464 actions that settle a message; delayed / relayed / expanded do not.
FINAL_ACTIONS = {"delivered": "delivered", "failed": "bounced"}


def ingest_reports(engine, incident_id: int, path: Path, *, author: str = "dpo",
                   warn: Callable[[str], None] = lambda text: None) -> Counter:
    """Apply every delivery report under `path` (an .eml file, a folder of them, an mbox,
    a Maildir). Counts: delivered, bounced, unchanged (already settled), unmatched (not a
    message of this incident), not_final, not_a_report, malformed (skipped; `warn` gets
    one line naming the file and the fault)."""
    load_incident(engine, incident_id)              # an unknown incident is a usage error
    counts: Counter = Counter()
    for label, raw in dsn.messages(Path(path)):
        try:
            report = dsn.parse(raw)
        except dsn.MalformedReport as exc:
            counts["malformed"] += 1
            warn(f"{label}: malformed delivery report skipped ({exc})")
            continue
        if report is None:
            counts["not_a_report"] += 1
        elif report.key is None:
            counts["unmatched"] += 1
        elif report.action not in FINAL_ACTIONS:
            counts["not_final"] += 1
        else:
            counts[apply_receipt(engine, incident_id, report.key, FINAL_ACTIONS[report.action],
                                 f"DSN {report.action} {report.status}")] += 1
    record_event(engine, incident_id, "receipts", author,
                 {"channel": "email", "counts": dict(counts)})
    return counts


def poll_sms(engine, incident_id: int, channel, *, author: str = "dpo") -> Counter:
    """Ask the SMS gateway for the receipt of every SMS the ledger holds as sent.
    Counts: delivered, bounced, no_receipt (not back yet), lookup_failed (gateway error;
    the next run asks again)."""
    load_incident(engine, incident_id)
    with engine.connect() as conn:
        keys = list(conn.execute(select(outbox.c.idempotency_key).where(
            outbox.c.incident_id == incident_id, outbox.c.channel == "sms",
            outbox.c.status == "sent")).scalars())
    counts: Counter = Counter()
    try:
        for key in keys:
            try:
                outcome = channel.receipt(key)
            except TransientError:
                counts["lookup_failed"] += 1
                continue
            if outcome is None:
                counts["no_receipt"] += 1
            else:
                counts[apply_receipt(engine, incident_id, key, outcome,
                                     f"gateway receipt {outcome}")] += 1
    finally:
        channel.close()
    record_event(engine, incident_id, "receipts", author,
                 {"channel": "sms", "counts": dict(counts)})
    return counts
