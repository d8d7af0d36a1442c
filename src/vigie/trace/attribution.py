"""Attribute a leak to exports: read the leak once, then weigh each export's evidence.

Three layers, reported separately for every export:
- canaries: fabricated persons unique to one export found in the leak. A beacon e-mail
  hit cannot happen by chance (40-bit keyed token: 2^-40 per canary); a canary matched on
  NIR and name + date of birth without its beacon is bounded by 1e-6 per canary (research
  note §5.2: coincidence of a fabricated NIR, name and exact date of birth). A canary
  matched on one key only is not counted.
- marks: for leaked persons the export holds, agreements between the variant read in each
  channel and the export's keyed bit, out of observations; P(Bin(m, ½) ≥ a) is the chance
  of that many agreements on a leak that did not come from this export (the bit is a keyed
  pseudo-random function, independent of whatever the leak's origin wrote).
- row set: the share of linked leaked rows whose person the export holds (a lead, not a
  proof: no p-value is derived from it).
Rows are re-identified by exact keys (vigie.trace.identity); with a registry, the rows
those miss are linked to it (vigie.trace.relink).
Each layer's p-value is multiplied by the number of exports checked (Bonferroni), and the
export's p_false by the number of layers tested (2): an export is named only when p_false ≤
alpha (default 1e-6). A person-channel seen with both variants (mixed copies) is dropped.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
from sqlalchemy import Engine

from vigie.sources import open_source
from vigie.trace.channels import CHANNELS
from vigie.trace.identity import LOOKUP_FAMILIES, classify_columns, lookup, row_identity_keys, \
    rows_of
from vigie.trace.keys import export_key, mark_bit
from vigie.trace.manifest import ExportEntry, load_canaries, load_exports, memberships, \
    resolve_lookups
from vigie.trace.relink import Leftovers, RegistryRef, link_leftovers
from vigie.trace.stats import log10_binomial_tail, log10_bonferroni

DEFAULT_ALPHA = 1e-6
BEACON_COINCIDENCE = 2.0 ** -40
IDENTITY_COINCIDENCE = 1e-6
LAYERS_TESTED = 2


@dataclass
class LeakReading:
    """What the leak says, in person keys: rows, linked rows, observations per channel."""

    rows: int = 0
    linked_rows: Counter = field(default_factory=Counter)            # person -> rows
    matched_families: dict[str, set[str]] = field(default_factory=dict)
    observations: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    tables: list[dict] = field(default_factory=list)                 # name, rows, channels
    linked_by_registry: int = 0      # rows re-identified by linkage, not by an exact key

    def add_row(self, person: str, families: set[str], bits: list[tuple[str, int]]) -> None:
        """One re-identified row: its person, the identity families that named it, and the
        (channel, variant) pairs read in it."""
        self.linked_rows[person] += 1
        self.matched_families.setdefault(person, set()).update(families)
        for channel, bit in bits:
            self.observations.setdefault((person, channel), set()).add(bit)

    def observed(self) -> dict[str, list[tuple[str, int]]]:
        """person -> [(channel, the one variant seen)]; a channel seen with both variants
        (mixed copies) is dropped."""
        found: dict[str, list[tuple[str, int]]] = {}
        for (person, channel), bits in sorted(self.observations.items()):
            if len(bits) == 1:
                found.setdefault(person, []).append((channel, next(iter(bits))))
        return found


def read_leak(path: str, engine: Engine, master: bytes,
              registry: RegistryRef | None = None) -> LeakReading:
    """Re-identify every row of every table of the leak and read its channel variants;
    with `registry`, rows no exact key names are linked to it afterwards."""
    reading = LeakReading()
    leftovers = Leftovers() if registry else None
    waiting: dict[str, list[tuple[str, int]]] = {}          # leftover row id -> bits
    with open_source(path) as source:
        for table in source.tables():
            roles = None
            slot = None
            table_rows = 0
            for batch in table.batches():
                if roles is None:
                    roles = classify_columns(pa.Table.from_batches([batch]))
                    slot = leftovers.start_table(roles) if leftovers is not None else None
                for row, bits in _read_batch(batch, roles, engine, master, reading):
                    if slot is not None and leftovers is not None:
                        waiting[leftovers.add(slot, row)] = bits
                table_rows += batch.num_rows
            reading.rows += table_rows
            reading.tables.append({"name": table.name, "rows": table_rows,
                                   "channels": sorted({k for k in (roles.kinds.values()
                                                                   if roles else [])
                                                       if k in CHANNELS})})
    if leftovers is not None and registry is not None:
        for row_id, person in link_leftovers(leftovers, registry, master).items():
            reading.add_row(person, {"registry"}, waiting[row_id])
            reading.linked_by_registry += 1
    return reading


def _read_batch(batch: pa.RecordBatch, roles, engine: Engine, master: bytes,
                reading: LeakReading):
    """Record the rows exact keys name; yield (row, channel bits) of the others."""
    columns = list(roles.kinds)
    channel_columns = [(c, CHANNELS[k]) for c, k in roles.kinds.items() if k in CHANNELS]
    rows = list(rows_of(batch, columns))
    row_lookups = [[(fam, lookup(master, fam, key)) for fam, key in row_identity_keys(r, roles)]
                   for r in rows]
    resolved = resolve_lookups(engine, {lk for lks in row_lookups for _, lk in lks})
    for row, lookups in zip(rows, row_lookups):
        bits = [(channel.name, bit) for column, channel in channel_columns
                for value in [row.get(column)] if value
                for bit in [channel.read(value)] if bit is not None]
        person, families = _identify(lookups, resolved)
        if person is None:
            yield row, bits
        else:
            reading.add_row(person, families, bits)


def _identify(lookups: list[tuple[str, str]], resolved: dict[str, set[str]]
              ) -> tuple[str | None, set[str]]:
    """The one person the strongest unambiguous family names, and every family agreeing."""
    for family in LOOKUP_FAMILIES:
        candidates = set()
        for fam, lk in lookups:
            if fam == family and len(resolved.get(lk, ())) == 1:
                candidates |= resolved[lk]
        if len(candidates) == 1:
            person = next(iter(candidates))
            agreeing = {fam for fam, lk in lookups if resolved.get(lk) == {person}}
            return person, agreeing
    return None, set()


@dataclass
class ExportEvidence:
    export_id: str
    recipient: str
    exported_at: str
    purpose: str
    checked_exports: int
    canaries_found: int = 0
    canary_beacons: int = 0
    agreements: int = 0
    observations: int = 0
    rows_in_export: int = 0
    linked_rows: int = 0
    log10_p_canaries: float = 0.0        # Bonferroni'd, log10
    log10_p_marks: float = 0.0
    canary_keys: list[str] = field(default_factory=list)
    marks: list[tuple[str, str, int, int]] = field(default_factory=list)  # person, ch, seen, bit

    @property
    def rows_explained(self) -> float:
        return self.rows_in_export / self.linked_rows if self.linked_rows else 0.0

    @property
    def log10_p_false(self) -> float:
        return log10_bonferroni(min(self.log10_p_canaries, self.log10_p_marks), LAYERS_TESTED)

    @property
    def p_false(self) -> float:
        return 10.0 ** self.log10_p_false

    def layers(self, alpha: float) -> list[str]:
        fired = []
        if log10_bonferroni(self.log10_p_canaries, LAYERS_TESTED) <= math.log10(alpha):
            fired.append("canaries")
        if log10_bonferroni(self.log10_p_marks, LAYERS_TESTED) <= math.log10(alpha):
            fired.append("marks")
        if self.linked_rows and self.rows_in_export == self.linked_rows:
            fired.append("row_set")
        return fired

    def to_dict(self, alpha: float) -> dict:
        return {"export_id": self.export_id, "recipient": self.recipient,
                "exported_at": self.exported_at, "purpose": self.purpose,
                "p_false": self.p_false, "log10_p_false": round(self.log10_p_false, 3),
                "canaries_found": self.canaries_found,
                "rows_explained": round(self.rows_explained, 6),
                "layers": self.layers(alpha),
                "canaries": {"found": self.canaries_found, "beacons": self.canary_beacons,
                             "log10_p": round(self.log10_p_canaries, 3)},
                "marks": {"agreements": self.agreements, "observations": self.observations,
                          "log10_p": round(self.log10_p_marks, 3)},
                "row_set": {"linked_rows": self.linked_rows,
                            "rows_in_export": self.rows_in_export}}


def evaluate_export(reading: LeakReading, entry: ExportEntry, held: dict[str, set[int]],
                    canary_keys: set[str], key: bytes, checked: int,
                    observed: dict[str, list[tuple[str, int]]] | None = None,
                    keep_marks: bool = False) -> ExportEvidence:
    """One export's three layers against the leak (p-values already Bonferroni'd).
    `observed` is reading.observed(), passed in when many exports are weighed;
    `keep_marks` keeps every observation (for the evidence bundle)."""
    info = entry.entry
    evidence = ExportEvidence(entry.export_id, info["recipient"], info["created_at"],
                              info.get("purpose", ""), checked)
    evidence.linked_rows = sum(reading.linked_rows.values())
    evidence.rows_in_export = sum(n for person, n in reading.linked_rows.items()
                                  if entry.seq in held.get(person, ()))
    log_coincidence = 0.0
    for person in sorted(canary_keys & reading.linked_rows.keys()):
        families = reading.matched_families.get(person, set())
        if "email" in families:
            evidence.canary_beacons += 1
            log_coincidence += math.log(BEACON_COINCIDENCE)
        elif len(families) >= 2:
            log_coincidence += math.log(IDENTITY_COINCIDENCE)
        else:
            continue
        evidence.canaries_found += 1
        evidence.canary_keys.append(person)
    if evidence.canaries_found:
        evidence.log10_p_canaries = log10_bonferroni(log_coincidence / math.log(10), checked)
    for person, seen_channels in (observed if observed is not None
                                  else reading.observed()).items():
        if entry.seq not in held.get(person, ()):
            continue
        for channel, seen in seen_channels:
            bit = mark_bit(key, person, channel)
            if keep_marks:
                evidence.marks.append((person, channel, seen, bit))
            evidence.observations += 1
            evidence.agreements += int(seen == bit)
    evidence.log10_p_marks = log10_bonferroni(
        log10_binomial_tail(evidence.agreements, evidence.observations), checked)
    return evidence


def weigh_exports(reading: LeakReading, engine: Engine, master: bytes,
                  only: str | None = None) -> tuple[list[ExportEvidence], int]:
    """Evidence for every export in the manifest (or just `only`), and how many were checked."""
    entries = load_exports(engine)
    held = memberships(engine, set(reading.linked_rows))
    observed = reading.observed()
    results = []
    for entry in entries:
        if only and entry.export_id != only:
            continue
        canary_keys = set(load_canaries(engine, entry.seq))
        results.append(evaluate_export(reading, entry, held, canary_keys,
                                       export_key(master, entry.export_id), len(entries),
                                       observed, keep_marks=only is not None))
    return results, len(entries)
