"""The append-only, hash-chained chronology of an incident.

Every event (opening, facts, decisions, filings, drafts, sends) is one entry whose hash
is sha256(previous hash + canonical JSON of the entry). Nothing is edited: a correction
is a new entry. verify_chain() recomputes every hash, so an UPDATE or DELETE made behind
Vigie's back shows up as the first entry whose hash no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from vigie.incidents.db import utc_now
from vigie.incidents.tables import chronology

GENESIS = "0" * 64


def canonical_json(value) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, incident_id: int, seq: int, at: str, kind: str, author: str,
               payload: str) -> str:
    """The chained hash of one entry (payload is already canonical JSON)."""
    body = canonical_json({"incident": incident_id, "seq": seq, "at": at, "kind": kind,
                           "author": author, "payload": json.loads(payload)})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    kind: str
    author: str
    payload: dict


def append(connection: Connection, incident_id: int, kind: str, author: str,
           payload: dict, *, at: str | None = None) -> Entry:
    """Add an entry at the end of the incident's chain (the unique (incident, seq) pair
    makes two concurrent writers fail rather than fork the chain)."""
    last = connection.execute(
        select(chronology.c.seq, chronology.c.hash)
        .where(chronology.c.incident_id == incident_id)
        .order_by(chronology.c.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    at = at or utc_now()
    text = canonical_json(payload)
    digest = entry_hash(prev, incident_id, seq, at, kind, author, text)
    connection.execute(insert(chronology).values(
        incident_id=incident_id, seq=seq, at=at, kind=kind, author=author, payload=text,
        prev_hash=prev, hash=digest))
    return Entry(seq, at, kind, author, payload)


def entries(connection: Connection, incident_id: int) -> list[Entry]:
    """The incident's entries in order."""
    rows = connection.execute(select(chronology).where(chronology.c.incident_id == incident_id)
                              .order_by(chronology.c.seq))
    return [Entry(r.seq, r.at, r.kind, r.author, json.loads(r.payload)) for r in rows]


def verify_chain(connection: Connection, incident_id: int) -> list[str]:
    """Problems found in the chain, empty when intact. Each names the entry, never its content."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    rows = connection.execute(select(chronology).where(chronology.c.incident_id == incident_id)
                              .order_by(chronology.c.seq))
    for row in rows:
        if row.seq != expected_seq:
            problems.append(f"entry {expected_seq} is missing (next is {row.seq})")
        if row.prev_hash != prev:
            problems.append(f"entry {row.seq}: does not link to the previous entry")
        try:
            digest = entry_hash(row.prev_hash, incident_id, row.seq, row.at, row.kind,
                                row.author, row.payload)
        except ValueError:
            digest = ""
        if digest != row.hash:
            problems.append(f"entry {row.seq}: content does not match its hash")
        prev = row.hash
        expected_seq = row.seq + 1
    if expected_seq == 1:
        problems.append("the chronology is empty")
    return problems


def count(connection: Connection, incident_id: int) -> int:
    """Number of entries (for reports)."""
    return connection.execute(select(func.count()).select_from(chronology)
                              .where(chronology.c.incident_id == incident_id)).scalar_one()
