"""The sending ledger (outbox): one row per (incident, person, channel, template version),
written and committed BEFORE each attempt leaves, updated with the provider's message id
after. A row with attempts but not 'sent' is in doubt (the sender may have died between
the provider's acceptance and our commit): it is reconciled with the provider before
anything is sent again. Delivery receipts move a row on afterwards: 'delivered' (done),
or 'bounced' (the next `send` tries the patient's next channel).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from vigie.incidents.db import utc_now
from vigie.incidents.tables import outbox


def idempotency_key(incident_id: int, person_key: str, channel: str, template_version: str) -> str:
    """Stable key of one message: the same message always gets the same key."""
    text = f"{incident_id}|{person_key}|{channel}|{template_version}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


@dataclass
class OutboxRow:
    status: str
    attempts: int
    provider_id: str | None


class Ledger:
    """Outbox operations for one incident and template version."""

    def __init__(self, engine: Engine, incident_id: int, template_version: str):
        self.engine, self.incident_id, self.template_version = engine, incident_id, template_version

    def key(self, person_key: str, channel: str) -> str:
        return idempotency_key(self.incident_id, person_key, channel, self.template_version)

    def snapshot(self) -> dict[str, OutboxRow]:
        """Every row of this incident and template version, by idempotency key (read once
        at start: one query instead of one per message)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(outbox.c.idempotency_key, outbox.c.status,
                                       outbox.c.attempts, outbox.c.provider_id)
                                .where(outbox.c.incident_id == self.incident_id,
                                       outbox.c.template_version == self.template_version))
            return {r.idempotency_key: OutboxRow(r.status, r.attempts, r.provider_id)
                    for r in rows}

    def record_attempt(self, key: str, person_key: str, channel: str, attempts: int) -> None:
        """Commit 'pending, attempt n' before the message leaves."""
        now = utc_now()
        with self.engine.begin() as conn:
            changed = conn.execute(update(outbox).where(outbox.c.idempotency_key == key)
                                   .values(status="pending", attempts=attempts,
                                           updated_at=now)).rowcount
            if not changed:
                conn.execute(insert(outbox).values(
                    incident_id=self.incident_id, person_key=person_key, channel=channel,
                    template_version=self.template_version, idempotency_key=key,
                    status="pending", attempts=attempts, created_at=now, updated_at=now))

    def mark(self, key: str, status: str, *, provider_id: str | None = None,
             detail: str | None = None) -> None:
        values = {"status": status, "updated_at": utc_now()}
        if provider_id is not None:
            values["provider_id"] = provider_id
        if detail is not None:
            values["detail"] = detail[:200]
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.idempotency_key == key).values(**values))


# What a receipt may change: an accepted (or in-doubt) message becomes delivered or
# bounced; a delivered or bounced one stays as it is (receipts can be ingested twice).
RECEIPT_FROM = ("sent", "pending", "failed")


def apply_receipt(engine: Engine, incident_id: int, key: str, outcome: str,
                  detail: str) -> str:
    """Record a delivery receipt for the message `key` of the incident. Returns the new
    status ('delivered' or 'bounced'), 'unchanged' when the row had already settled, or
    'unmatched' when the incident has no such message."""
    if outcome not in ("delivered", "bounced"):
        raise ValueError(f"receipt outcome {outcome!r}")
    with engine.begin() as conn:
        where = (outbox.c.incident_id == incident_id) & (outbox.c.idempotency_key == key)
        changed = conn.execute(update(outbox).where(where, outbox.c.status.in_(RECEIPT_FROM))
                               .values(status=outcome, detail=detail[:200],
                                       updated_at=utc_now())).rowcount
        if changed:
            return outcome
        known = conn.execute(select(outbox.c.id).where(where)).first()
    return "unchanged" if known else "unmatched"
