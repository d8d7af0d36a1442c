"""The sending ledger (outbox): one row per (incident, person, channel, template version),
written and committed BEFORE the message leaves, updated with the provider's message id
after. A row still 'pending' at start-up is in doubt (the sender died in between): it is
reconciled with the provider before anything is sent again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from vigie.incidents.db import utc_now
from vigie.incidents.tables import outbox


def idempotency_key(incident_id: int, person_key: str, channel: str, template_version: str) -> str:
    """Stable key of one message: the same message always gets the same key."""
    text = f"{incident_id}|{person_key}|{channel}|{template_version}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


@dataclass
class OutboxRow:
    key: str
    status: str
    attempts: int
    provider_id: str | None


class Ledger:
    """Outbox operations for one incident and template version."""

    def __init__(self, engine: Engine, incident_id: int, template_version: str):
        self.engine, self.incident_id, self.template_version = engine, incident_id, template_version

    def get(self, person_key: str, channel: str) -> OutboxRow | None:
        key = idempotency_key(self.incident_id, person_key, channel, self.template_version)
        with self.engine.connect() as conn:
            row = conn.execute(select(outbox.c.status, outbox.c.attempts, outbox.c.provider_id)
                               .where(outbox.c.idempotency_key == key)).first()
        return OutboxRow(key, row.status, row.attempts, row.provider_id) if row else None

    def claim(self, person_key: str, channel: str) -> OutboxRow:
        """Write the 'pending' row (committed) before the send; returns the existing row
        if another run wrote it first."""
        key = idempotency_key(self.incident_id, person_key, channel, self.template_version)
        now = utc_now()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(outbox).values(
                    incident_id=self.incident_id, person_key=person_key, channel=channel,
                    template_version=self.template_version, idempotency_key=key,
                    status="pending", attempts=0, created_at=now, updated_at=now))
        except IntegrityError:
            existing = self.get(person_key, channel)
            assert existing is not None
            return existing
        return OutboxRow(key, "pending", 0, None)

    def mark(self, key: str, status: str, *, provider_id: str | None = None,
             detail: str | None = None, attempts: int | None = None) -> None:
        values = {"status": status, "updated_at": utc_now()}
        if provider_id is not None:
            values["provider_id"] = provider_id
        if detail is not None:
            values["detail"] = detail[:200]
        if attempts is not None:
            values["attempts"] = attempts
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.idempotency_key == key).values(**values))
