"""The export manifest: an append-only, hash-chained log of every export, in the register.

Tables live in the incident register's database (SQLite under VIGIE_HOME by default,
PostgreSQL with a URL), created beside the register's own tables by the register's Alembic
history (migration 0002; the definitions below are the code's view of them). Each entry's hash covers
the previous entry's hash and the canonical JSON of the entry, which itself carries the
SHA-256 of the exported person set and of the canary set: editing, removing or reordering
any entry, member or canary breaks `verify_manifest`. The head hash is worth writing down
outside Vigie (it proves later that nothing was cut from the end).
No raw personal value is stored: persons are HMACs of their registry id, identity
lookups are HMACs of normalised keys; canary rows are fabricated, not personal data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import (Column, Engine, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        func, insert, select)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from vigie.incidents.db import open_register

GENESIS = "0" * 64
INSERT_CHUNK = 20_000

metadata = MetaData()

exports = Table(
    "vigie_exports", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("export_id", String(40), nullable=False, unique=True),
    Column("entry_json", Text, nullable=False),           # canonical JSON, hashed as is
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

members = Table(
    "vigie_export_members", metadata,
    Column("export_seq", Integer, ForeignKey("vigie_exports.seq"), primary_key=True),
    Column("person_key", String(64), primary_key=True),
    Index("ix_vigie_export_members_person", "person_key"),
)

canaries = Table(
    "vigie_export_canaries", metadata,
    Column("export_seq", Integer, ForeignKey("vigie_exports.seq"), primary_key=True),
    Column("person_key", String(64), primary_key=True),
    Column("row_json", Text, nullable=False),
)

identities = Table(
    "vigie_export_identities", metadata,
    Column("lookup", String(32), primary_key=True),
    Column("person_key", String(64), primary_key=True),
    Column("family", String(10), nullable=False),
)


@dataclass(frozen=True)
class ExportEntry:
    """One manifest entry as stored (entry holds the hashed fields)."""

    seq: int
    entry: dict
    prev_hash: str
    hash: str

    @property
    def export_id(self) -> str:
        return self.entry["export_id"]


def canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def set_digest(keys) -> str:
    """SHA-256 over sorted keys, one per line: the manifest's commitment to a set."""
    digest = hashlib.sha256()
    for key in sorted(keys):
        digest.update(key.encode("ascii") + b"\n")
    return digest.hexdigest()


def chain_hash(prev_hash: str, entry_json: str) -> str:
    return hashlib.sha256((prev_hash + entry_json).encode("utf-8")).hexdigest()


def open_manifest(url: str | None = None) -> Engine:
    """The register's engine; opening it runs the migrations, the manifest's included."""
    return open_register(url)


def _insert_ignoring_duplicates(engine: Engine, table: Table):
    dialect = engine.dialect.name
    if dialect == "sqlite":
        return sqlite_insert(table).on_conflict_do_nothing()
    if dialect == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return insert(table).prefix_with("IGNORE")     # MariaDB / MySQL


def append_export(engine: Engine, entry: dict, person_keys: set[str],
                  canary_rows: dict[str, dict], identity_rows: list[tuple[str, str, str]]
                  ) -> ExportEntry:
    """Append one export (entry, its person set, canaries, identity lookups) atomically."""
    entry = dict(entry, members_sha256=set_digest(person_keys),
                 canaries_sha256=set_digest(canary_rows), persons=len(person_keys),
                 canaries=len(canary_rows))
    with engine.begin() as conn:
        last = conn.execute(select(exports.c.seq, exports.c.hash)
                            .order_by(exports.c.seq.desc()).limit(1)).first()
        seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
        entry["seq"] = seq
        entry_json = canonical(entry)
        digest = chain_hash(prev_hash, entry_json)
        conn.execute(insert(exports).values(seq=seq, export_id=entry["export_id"],
                                            entry_json=entry_json, prev_hash=prev_hash,
                                            hash=digest))
        _chunked(conn, insert(members), [{"export_seq": seq, "person_key": key}
                                         for key in sorted(person_keys)])
        _chunked(conn, insert(canaries), [{"export_seq": seq, "person_key": key,
                                           "row_json": canonical(row)}
                                          for key, row in canary_rows.items()])
        _chunked(conn, _insert_ignoring_duplicates(engine, identities),
                 [{"lookup": lk, "person_key": pk, "family": fam}
                  for lk, pk, fam in identity_rows])
    return ExportEntry(seq, entry, prev_hash, digest)


def _chunked(conn, statement, rows: list[dict]) -> None:
    for start in range(0, len(rows), INSERT_CHUNK):
        conn.execute(statement, rows[start:start + INSERT_CHUNK])


def load_exports(engine: Engine) -> list[ExportEntry]:
    with engine.connect() as conn:
        rows = conn.execute(select(exports).order_by(exports.c.seq)).all()
    return [ExportEntry(r.seq, json.loads(r.entry_json), r.prev_hash, r.hash) for r in rows]


def find_export(engine: Engine, export_id: str) -> ExportEntry | None:
    return next((e for e in load_exports(engine) if e.export_id == export_id), None)


def load_members(engine: Engine, seq: int) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(members.c.person_key)
                                .where(members.c.export_seq == seq)).scalars())


def load_canaries(engine: Engine, seq: int) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(canaries.c.person_key, canaries.c.row_json)
                            .where(canaries.c.export_seq == seq)).all()
    return {r.person_key: json.loads(r.row_json) for r in rows}


def memberships(engine: Engine, person_keys: set[str]) -> dict[str, set[int]]:
    """person key -> seqs of the exports that hold that person (as a member or a canary)."""
    found: dict[str, set[int]] = {}
    ordered = sorted(person_keys)
    with engine.connect() as conn:
        for start in range(0, len(ordered), 900):
            chunk = ordered[start:start + 900]
            for table in (members, canaries):
                for row in conn.execute(select(table.c.person_key, table.c.export_seq)
                                        .where(table.c.person_key.in_(chunk))):
                    found.setdefault(row.person_key, set()).add(row.export_seq)
    return found


def resolve_lookups(engine: Engine, lookups: set[str]) -> dict[str, set[str]]:
    """lookup -> person keys indexed under it (several when two people share a key)."""
    found: dict[str, set[str]] = {}
    ordered = sorted(lookups)
    with engine.connect() as conn:
        for start in range(0, len(ordered), 900):   # SQLite's bound-parameter limit
            chunk = ordered[start:start + 900]
            for row in conn.execute(select(identities.c.lookup, identities.c.person_key)
                                    .where(identities.c.lookup.in_(chunk))):
                found.setdefault(row.lookup, set()).add(row.person_key)
    return found


def verify_manifest(engine: Engine) -> tuple[list[str], str]:
    """(problems, head hash): the chain, and each entry against its stored sets."""
    problems: list[str] = []
    prev = GENESIS
    for item in load_exports(engine):
        if item.prev_hash != prev:
            problems.append(f"entry {item.seq}: previous hash does not match the chain")
        if chain_hash(item.prev_hash, canonical(item.entry)) != item.hash:
            problems.append(f"entry {item.seq}: content differs from its hash")
        if set_digest(load_members(engine, item.seq)) != item.entry.get("members_sha256"):
            problems.append(f"entry {item.seq}: exported person set was altered")
        if set_digest(load_canaries(engine, item.seq)) != item.entry.get("canaries_sha256"):
            problems.append(f"entry {item.seq}: canary set was altered")
        prev = item.hash
    return problems, prev


def count_exports(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(exports)).scalar_one()
