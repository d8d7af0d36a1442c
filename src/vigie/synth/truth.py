"""Ground truth of a synthetic leak: what `vigie assess` must find in it.

Format (table/column naming exactly as DESIGN.md's report contract):
    {"shape", "format", "files": [...],
     "tables": [{"name", "rows", "columns": [{"name", "position", "kind"}]}],
     "persons": {"distinct": N},
     "exposure": {<kind or mention>: {"persons": N}}}
Person = patient_id. `exposure` holds, for each personal kind written, the distinct
persons with a non-empty value of it (0 included); and, for each mention of
`vigie.kinds.MENTIONS` that some written health field discloses, the distinct persons
whose written fields disclose it (from the population's *_mentions ground truth;
mentions disclosed for nobody are left out, as in a report). "medication" is both
a kind and a mention: its entry is the union of both (a person whose treatment is
exposed, by a medication column or by a drug named in a note).
Writers feed a `TruthBuilder` with the values exactly as written, batch by batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigie.kinds import KIND_CATEGORY, MENTIONS, is_personal

if TYPE_CHECKING:
    from vigie.synth.population import Population

TRUTH_FILE = "truth.json"


def write_truth(out_dir: Path, truth: dict) -> Path:
    """Write `truth.json` into out_dir (no personal value in it: names, kinds, counts)."""
    path = Path(out_dir) / TRUTH_FILE
    path.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def truth_builder(pop: "Population", shape_name: str, fmt: str) -> "TruthBuilder":
    """Start the ground truth of one leak of `pop` (see TruthBuilder)."""
    return TruthBuilder(pop.patients.column("patient_id"), shape_name, fmt)


class TableTruth:
    """Truth of one table: its columns (name, kind) in order, rows written, what they expose.

    Writers call `observe` on every batch they write, with the values *as written* so the
    counts follow any nulls or blanks a writer introduces.
    """

    def __init__(self, owner: "TruthBuilder", name: str, columns: list[tuple[str, str]]):
        for col_name, kind in columns:
            if kind not in KIND_CATEGORY:
                raise ValueError(f"column {col_name!r}: unknown kind {kind!r}")
        self.owner = owner
        self.name = name
        self.columns = list(columns)
        self.kinds = dict(columns)
        self.rows = 0

    def observe(self, patient_ids, values: Mapping[str, object] | None = None,
                mentions: Mapping[str, object] | None = None, *, count_rows: bool = True) -> None:
        """Count one written batch.

        patient_ids: the person (patient_id) of each written row.
        values: column name -> the written values (personal columns; others ignored).
        mentions: column name -> list<string> of the mentions the written text of that
        column discloses (A's *_mentions), counted only where that column's value, which
        must be in `values`, is non-empty.
        count_rows=False observes values nested inside rows already counted (the
        elements of a JSON array).
        """
        ids = _as_array(patient_ids)
        self.rows += len(ids) if count_rows else 0
        self.owner._observe(ids, self.kinds, values or {}, mentions or {})

    def add_rows(self, n: int) -> None:
        """Count rows that expose nobody (a catalogue, a lookup table)."""
        self.rows += n

    def to_dict(self) -> dict:
        return {"name": self.name, "rows": self.rows,
                "columns": [{"name": c, "position": i, "kind": k}
                            for i, (c, k) in enumerate(self.columns)]}


class TruthBuilder:
    """Accumulates a leak's ground truth while a writer streams batches.

    Distinct persons are tracked as boolean masks over the population's patient index
    (one byte per patient per kind), so 1 M patients cost a few MB, not sets of strings.
    """

    def __init__(self, population_ids: pa.ChunkedArray | pa.Array, shape_name: str, fmt: str):
        self.ids = _as_array(population_ids)
        self.shape = shape_name
        self.format = fmt
        self.files: list[str] = []
        self.tables: list[TableTruth] = []
        self.persons = np.zeros(len(self.ids), dtype=bool)
        self.kind_masks: dict[str, np.ndarray] = {}
        self.mention_masks: dict[str, np.ndarray] | None = None

    def add_file(self, path: Path | str, out_dir: Path | None = None) -> None:
        """Record a written file (relative to out_dir when given, else its name)."""
        path = Path(path)
        self.files.append(str(path.relative_to(out_dir)) if out_dir else path.name)

    def table(self, name: str, columns: Iterable[tuple[str, str]]) -> TableTruth:
        """Declare a table with its (column name, kind) pairs in written order."""
        table = TableTruth(self, name, list(columns))
        self.tables.append(table)
        for _, kind in table.columns:
            if is_personal(kind):
                self.kind_masks.setdefault(kind, np.zeros(len(self.ids), dtype=bool))
        return table

    def _observe(self, ids: pa.Array, kinds: dict[str, str], values: Mapping[str, object],
                 mentions: Mapping[str, object]) -> None:
        # One hash lookup per batch: each row's patient index (-1 when not a patient).
        index = pc.fill_null(pc.index_in(ids, value_set=self.ids), -1).to_numpy()
        known = index >= 0
        self.persons[index[known]] = True
        written = {}
        for col, raw in values.items():
            kind = kinds[col]
            if is_personal(kind):
                written[col] = known & _non_empty(_as_array(raw))
                self.kind_masks[kind][index[written[col]]] = True
        if mentions and self.mention_masks is None:
            self.mention_masks = {m: np.zeros(len(self.ids), dtype=bool) for m in MENTIONS}
        for col, raw in mentions.items():
            assert self.mention_masks is not None, "set above whenever there are mentions"
            lists = _as_array(raw)
            flat = pc.list_flatten(lists)
            parents = pc.list_parent_indices(lists).to_numpy()
            for mention in pc.unique(flat).drop_null().to_pylist():
                if mention not in self.mention_masks:
                    raise ValueError(f"column {col!r}: unknown mention {mention!r}")
                rows = parents[pc.fill_null(pc.equal(flat, mention), False).to_numpy(
                    zero_copy_only=False)]
                rows = rows[written[col][rows]]
                self.mention_masks[mention][index[rows]] = True

    def build(self) -> dict:
        """The truth dict (see the module docstring)."""
        exposure: dict[str, dict] = {}
        for kind, mask in self.kind_masks.items():
            exposure[kind] = {"persons": int(mask.sum())}
        for mention, mask in (self.mention_masks or {}).items():
            if mention in self.kind_masks:   # "medication": union of column and mentions
                mask = mask | self.kind_masks[mention]
            if mask.any():
                exposure[mention] = {"persons": int(mask.sum())}
        return {"shape": self.shape, "format": self.format, "files": list(self.files),
                "tables": [t.to_dict() for t in self.tables],
                "persons": {"distinct": int(self.persons.sum())},
                "exposure": exposure}


def _as_array(values) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    return pa.array(values)


def _non_empty(values: pa.Array) -> np.ndarray:
    """True where a value was written: not null and, for text, not blank."""
    valid = pc.is_valid(values)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        blank = pc.equal(pc.utf8_trim_whitespace(values), "")
        valid = pc.and_(valid, pc.invert(pc.fill_null(blank, True)))
    return pc.fill_null(valid, False).to_numpy(zero_copy_only=False)
