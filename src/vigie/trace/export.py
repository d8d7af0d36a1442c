"""`vigie export`: write a marked copy of a registry extract and record it in the manifest.

Two streaming passes over the source: the first indexes who is exported (person keys and
keyed identity lookups) and keeps a small random sample the canaries are drawn from; the
canaries are then drawn and checked against the registry (the source itself by default)
with the linkage model (vigie.trace.distance); the second pass writes the rows, with keyed variants in the mark
channels (text columns only) and the canaries at keyed random places. A Parquet export
keeps the source's column types (vigie.trace.types). Memory: one batch, the sample, and
the person set (HMACs).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa

from vigie.errors import InputError, UsageError, VigieError
from vigie.sources import open_source
from vigie.trace.canaries import canary_count, make_canaries
from vigie.trace.channels import CHANNELS
from vigie.trace.distance import MAX_MATCH_PROBABILITY, best_match_probabilities, \
    drawn_traits, ids_in_use, real_patients
from vigie.trace.identity import ColumnRoles, as_strings, classify_columns, lookup, \
    row_identity_keys
from vigie.trace.keys import export_key, key_id, mark_bit, master_key, person_key
from vigie.trace.manifest import append_export, open_manifest
from vigie.trace.relink import RegistryRef
from vigie.trace.types import column_types
from vigie.trace.writers import BatchWriter, format_of

SAMPLE_SIZE = 2000
CANARY_ROUNDS = 4              # draws of replacements for candidates the linkage rejects
DEFAULT_BEACON_DOMAIN = "canari.invalid"


@dataclass(frozen=True)
class ExportOptions:
    """Canary sizing: density ρ ≥ ln(1/β)/n catches a leak of n rows with miss ≤ β.
    `registry`: the registry canaries must stay far from (default: the export's source)."""

    canary_density: float = 1 / 1000
    min_canaries: int = 20
    max_canaries: int = 5000
    beacon_domain: str = DEFAULT_BEACON_DOMAIN
    registry: RegistryRef | None = None

    @staticmethod
    def density_for(smallest_leak: int, miss_probability: float) -> float:
        """ρ = ln(1/β)/n (research note §5.2)."""
        return math.log(1 / miss_probability) / smallest_leak


@dataclass
class ExportResult:
    export_id: str
    path: Path
    rows: int                      # rows written, canaries included
    persons: int
    canaries: int
    key_id: str
    file_sha256: str
    manifest_hash: str
    marked: dict[str, int] = field(default_factory=dict)   # channel -> values marked
    canaries_rejected: int = 0     # candidates the linkage model found too close to a patient


def export_source(source_path: str, *, id_column: str, recipient: str, purpose: str,
                  out: Path, columns: list[str] | None = None,
                  options: ExportOptions = ExportOptions(), db_url: str | None = None
                  ) -> ExportResult:
    """Write the marked export of `source_path` to `out` and append its manifest entry."""
    out = Path(out)
    format_of(out)                                   # a bad extension fails before any work
    engine = open_manifest(db_url)                   # so does an unreachable register
    master = master_key()
    created = datetime.now(timezone.utc)
    export_id = f"EXP-{created:%Y%m%d}-{secrets.token_hex(4)}"
    key = export_key(master, export_id)
    rng = np.random.default_rng(int.from_bytes(
        hmac.new(key, b"canary-rng", hashlib.sha256).digest()[:8], "big"))
    with open_source(source_path) as source:
        table = _table_with(source, id_column, source_path)
        wanted = columns or list(table.columns)
        missing = [c for c in [*wanted, id_column] if c not in table.columns]
        if missing:
            raise UsageError(f"{source_path}: no column named {', '.join(missing)}")
        scan = _first_pass(table, source_path, id_column, wanted, master, rng)
        assert scan.roles is not None, "_first_pass refuses a table without rows"
        types = (column_types(source, table.name, scan.schema, wanted)
                 if format_of(out) == "parquet" else {})
        count = canary_count(scan.rows, options.canary_density, options.min_canaries,
                             options.max_canaries)
        registry = options.registry or RegistryRef(source_path, id_column)
        canary_rows, check = _canaries(scan, count, key, options, id_column, master,
                                       export_id, rng, registry, wanted)
        out.parent.mkdir(parents=True, exist_ok=True)
        # Only columns written as text carry marks (a typed phone number has one spelling).
        channel_of = {c: CHANNELS[scan.roles.kinds[c]] for c in wanted
                      if scan.roles.kinds.get(c) in CHANNELS
                      and types.get(c, pa.string()) == pa.string()}
        marked = _second_pass(table, out, wanted, id_column, scan, master, key,
                              canary_rows, rng, types, source_path, channel_of)
    digest = _sha256(out)
    entry = {"export_id": export_id, "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
             "recipient": recipient, "purpose": purpose, "columns": wanted,
             "source": Path(str(source_path)).name, "file_name": out.name,
             "format": format_of(out), "file_sha256": digest,
             "rows": scan.rows + len(canary_rows), "key_id": key_id(key),
             "channels": {c: channel.name for c, channel in channel_of.items()},
             "source_rows": scan.rows, "canary_check": check}
    identity_rows = scan.identities + [
        (lookup(master, fam, k), pk, fam)
        for pk, row in canary_rows.items() for fam, k in row_identity_keys(row, scan.roles)]
    stored = append_export(engine, entry, scan.persons, canary_rows,
                           identity_rows)
    return ExportResult(export_id, out, scan.rows + len(canary_rows), len(scan.persons),
                        len(canary_rows), key_id(key), digest, stored.hash, marked,
                        check["rejected"])


def _table_with(source, id_column: str, source_path: str):
    for table in source.tables():
        if id_column in table.columns:
            return table
    raise UsageError(f"{source_path}: no table has a column named {id_column}")


@dataclass
class _Scan:
    rows: int = 0
    roles: ColumnRoles | None = None
    schema: pa.Schema | None = None
    persons: set[str] = field(default_factory=set)
    identities: list[tuple[str, str, str]] = field(default_factory=list)
    sample: list[dict] = field(default_factory=list)
    taken_lookups: set[str] = field(default_factory=set)


def _first_pass(table, source_path: str, id_column: str, wanted: list[str], master: bytes,
                rng: np.random.Generator) -> _Scan:
    """Count rows, index exported persons, keep a uniform sample (reservoir)."""
    scan = _Scan()
    seen_lookups: set[tuple[str, str]] = set()
    for batch in table.batches():
        if scan.roles is None:
            scan.roles = classify_columns(pa.Table.from_batches([batch.select(wanted)]))
            scan.schema = batch.schema
        ids = as_strings(batch.column(id_column))
        values = {c: as_strings(batch.column(c)) for c in wanted}
        for index, registry_id in enumerate(ids):
            line = scan.rows + index + 2                # header is line 1 in a CSV
            if not registry_id or not registry_id.strip():
                raise InputError(source_path, f"empty value in id column {id_column}",
                                 line=line)
            row = {c: values[c][index] for c in wanted}
            pk = person_key(master, registry_id)
            scan.persons.add(pk)
            for fam, k in row_identity_keys(row, scan.roles):
                hashed = lookup(master, fam, k)
                if (hashed, pk) not in seen_lookups:
                    seen_lookups.add((hashed, pk))
                    scan.identities.append((hashed, pk, fam))
                scan.taken_lookups.add(hashed)
            seen = scan.rows + index
            if seen < SAMPLE_SIZE:
                scan.sample.append(dict(row, **{id_column: registry_id}))
            else:
                slot = int(rng.integers(seen + 1))
                if slot < SAMPLE_SIZE:
                    scan.sample[slot] = dict(row, **{id_column: registry_id})
        scan.rows += batch.num_rows
    if scan.rows == 0 or scan.roles is None:
        raise InputError(source_path, "nothing to export: the table has no rows")
    return scan


def _canaries(scan: _Scan, count: int, key: bytes, options: ExportOptions, id_column: str,
              master: bytes, export_id: str, rng: np.random.Generator,
              registry: RegistryRef, wanted: list[str]) -> tuple[dict[str, dict], dict]:
    """(person key -> canary row, the check's record for the manifest).

    Candidates sharing an exact identity key with an exported person are redrawn at once;
    the others are linked to `registry` with the linkage model, and those whose best
    match probability reaches MAX_MATCH_PROBABILITY, or whose id a registry patient has,
    are replaced (a quarter more candidates than needed are drawn, so one round usually
    suffices)."""
    roles = scan.roles
    assert roles is not None, "_first_pass refuses a table without rows"

    def too_close(row: dict) -> bool:
        hashed = {lookup(master, fam, k) for fam, k in row_identity_keys(row, roles)}
        return bool(hashed & scan.taken_lookups) \
            or person_key(master, row[id_column]) in scan.persons

    linkable = bool(drawn_traits(roles, wanted))
    accepted: list[dict] = []
    used: set = set()
    drawn = rejected = 0
    highest = 0.0
    with real_patients(registry.source, registry.id_column) if linkable else nullcontext() \
            as people:
        for _round in range(CANARY_ROUNDS):
            needed = count - len(accepted)
            batch = make_canaries(scan.sample, roles, needed + needed // 4 + 2, key,
                                  options.beacon_domain, id_column, too_close, rng,
                                  first_index=drawn, used=used)
            drawn += len(batch)
            # people is None exactly when nothing is linkable (nullcontext above).
            scores = (best_match_probabilities(batch, scan.sample, roles, wanted, people,
                                               seed=int(rng.integers(2 ** 31)))
                      if people is not None else [0.0] * len(batch))
            taken_ids = ids_in_use(people, [row[id_column] for row in batch]) \
                if people is not None else set()
            for row, score in zip(batch, scores):
                if score >= MAX_MATCH_PROBABILITY or row[id_column] in taken_ids:
                    rejected += 1
                elif len(accepted) < count:
                    accepted.append(row)
                    highest = max(highest, score)
            if len(accepted) == count:
                break
        else:
            raise VigieError(f"could not draw {count} canaries far enough from every "
                             f"registry patient ({rejected} of {drawn} candidates too close)")
    check = {"method": "vigie.link Splink model on names, date of birth and postcode"
                       if linkable else "exact identity keys (no linkable trait exported)",
             "registry": Path(registry.source).name if options.registry else "the source",
             "max_match_probability": MAX_MATCH_PROBABILITY, "candidates": drawn,
             "rejected": rejected, "highest_kept": round(highest, 6)}
    return ({person_key(master, f"canary|{export_id}|{index}"): row
             for index, row in enumerate(accepted)}, check)


def _second_pass(table, out: Path, wanted: list[str], id_column: str, scan: _Scan,
                 master: bytes, key: bytes, canary_rows: dict[str, dict],
                 rng: np.random.Generator, types: dict[str, pa.DataType],
                 source_path: str, channel_of: dict) -> dict[str, int]:
    """Write rows with their keyed variants in `channel_of`'s columns; canaries at keyed
    random positions."""
    marked = {channel.name: 0 for channel in channel_of.values()}
    total = scan.rows + len(canary_rows)
    positions = sorted(int(p) for p in rng.choice(total, size=len(canary_rows), replace=False))
    pending = list(zip(positions, canary_rows.items()))
    position = 0

    def emit(data: dict[str, list], row: dict, person: str) -> None:
        for column in wanted:
            value = row.get(column)
            channel = channel_of.get(column)
            if value and channel is not None:
                variant = channel.write(value, mark_bit(key, person, channel.name))
                if variant is not None:
                    marked[channel.name] += 1
                    value = variant
            data[column].append(value)

    with BatchWriter(out, wanted, types, source_path) as writer:
        for batch in table.batches():
            ids = as_strings(batch.column(id_column))
            values = {c: as_strings(batch.column(c)) for c in wanted}
            data: dict[str, list] = {c: [] for c in wanted}
            for index, registry_id in enumerate(ids):
                if registry_id is None:   # the first pass refused empty ids: the file changed
                    raise InputError(source_path, f"empty value in id column {id_column} "
                                     "(the file changed while it was exported)")
                while pending and pending[0][0] == position:
                    _, (person, row) = pending.pop(0)
                    emit(data, row, person)
                    position += 1
                emit(data, {c: values[c][index] for c in wanted},
                     person_key(master, registry_id))
                position += 1
            writer.write(data)
        data = {c: [] for c in wanted}
        for _, (person, row) in pending:
            emit(data, row, person)
        writer.write(data)
    return marked


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
