"""Leak rows no exact key re-identified, linked to the organisation's registry instead.

A leak whose every row carries a typo in the surname (and no intact NIR or e-mail) loses
all its rows to the exact keys of vigie.trace.identity. The manifest cannot help further:
it stores HMACs of normalised keys only, by design (it must say nothing about anyone
without the master key), and a probabilistic linkage compares traits themselves (name
similarity, date distances), which HMACs hide. So with `--registry SRC --registry-id COL`
the leftover rows are linked to the registry by vigie.link (the Splink model of
`vigie assess --registry`), and each linked registry id becomes a person key with the HMAC
the exports used (person_key(master, id)): the virtual key, recomputed after linkage. The
registry's ids must be the values the exports were made with (`vigie export --id-column`).

Only links at the linkage threshold (0.9) count. A row linked to the wrong person adds
observations that agree with any export's keyed bits half the time: noise that weakens
the evidence, never fakes it. Canaries are kept far from every real patient by this same
model (vigie.trace.distance), so a canary row is never handed to a patient here.
Leftover rows are held in memory as text (identity columns only) until the linkage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from vigie.kinds import is_personal
from vigie.link import link_leak_to_registry, standardise
from vigie.link.leak_people import LINKING_KINDS
from vigie.link.registry import standardise_registry
from vigie.sources import open_source
from vigie.trace.identity import ColumnRoles
from vigie.trace.keys import person_key

ROW_ID = "__vigie_leftover"


@dataclass(frozen=True)
class RegistryRef:
    """The organisation's registry (file or database URL) and its patient id column."""

    source: str
    id_column: str


@dataclass
class Leftovers:
    """Rows awaiting linkage: per leak table, its identity mapping and rows (text)."""

    tables: list[tuple[dict[str, str], list[dict]]] = field(default_factory=list)

    def start_table(self, roles: ColumnRoles) -> int | None:
        """A slot for a table's rows; None when the table holds no linkable trait."""
        mapping = {c: k for c, k in roles.kinds.items() if is_personal(k)}
        if not LINKING_KINDS & set(mapping.values()):
            return None
        self.tables.append((mapping, []))
        return len(self.tables) - 1

    def add(self, slot: int, row: dict) -> str:
        """Keep a row's identity values; returns the row's id in the linkage."""
        mapping, rows = self.tables[slot]
        row_id = f"{slot}:{len(rows)}"
        rows.append(dict({c: row.get(c) for c in mapping}, **{ROW_ID: row_id}))
        return row_id

    def __len__(self) -> int:
        return sum(len(rows) for _, rows in self.tables)


def link_leftovers(leftovers: Leftovers, registry: RegistryRef, master: bytes
                   ) -> dict[str, str]:
    """{leftover row id: person key} for the rows the linkage ties to a registry patient."""
    if not len(leftovers):
        return {}
    con = duckdb.connect()
    try:
        parts = []
        for slot, (mapping, rows) in enumerate(leftovers.tables):
            if not rows:
                continue
            data = pa.table({c: pa.array([r[c] for r in rows], pa.string())
                             for c in [*mapping, ROW_ID]})
            standardise(data, mapping, id_column=ROW_ID, con=con, table_name=f"part_{slot}")
            parts.append(f"SELECT * FROM part_{slot}")
        leak = con.sql(" UNION ALL ".join(parts))
        with open_source(registry.source) as source:
            people = standardise_registry(source, registry.id_column, con=con)
            result = link_leak_to_registry(leak, people)
    finally:
        con.close()
    return {leak_id: person_key(master, registry_id)
            for leak_id, registry_id in zip(result.rows.column("leak_id").to_pylist(),
                                            result.rows.column("registry_id").to_pylist())
            if registry_id is not None}
