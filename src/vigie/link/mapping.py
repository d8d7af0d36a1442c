"""Which column holds which kind, for standardise(): from the classifier, or from `--map`.

The registry's columns are recognised by the same classifier as the leak's (no mapping to
write by hand); `--map "NOM_USAGE=last_name,NSS=nir"` overrides it column by column.
"""

from __future__ import annotations

from itertools import islice
from typing import Mapping

from vigie.detect.registry import classify_column
from vigie.errors import UsageError
from vigie.kinds import KIND_CATEGORY

SAMPLE_ROWS = 2_000


def parse_map(text: str | None) -> dict[str, str]:
    """Parse 'column=kind,column=kind' (the --map option) into a mapping."""
    mapping: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        column, sep, kind = item.rpartition("=")
        column, kind = column.strip(), kind.strip()
        if not sep or not column:
            raise UsageError(f"--map expects column=kind, got '{item.strip()}'")
        if kind not in KIND_CATEGORY:
            raise UsageError(f"--map: unknown kind '{kind}' for column '{column}'")
        mapping[column] = kind
    return mapping


def classify_table(table, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """{column: kind} for a `vigie.sources.Table`, from a sample of its rows.

    Uses the table's `sample_rows` when it has one (rows drawn across a database table),
    else its first SAMPLE_ROWS rows. Columns of kind 'none' are left out; `overrides`
    (from --map) win and must name existing columns.
    """
    overrides = dict(overrides or {})
    unknown = [c for c in overrides if c not in table.columns]
    if unknown:
        raise UsageError(f"--map names a column the table does not have: {unknown[0]}")
    if table.sample_rows is not None:
        sample = table.sample_rows(SAMPLE_ROWS).to_pydict()
    else:
        columns: dict[str, list] = {c: [] for c in table.columns}
        rows = 0
        for batch in islice(table.batches(), 64):
            for column, values in zip(table.columns, batch.columns):
                columns[column].extend(values.to_pylist()[:SAMPLE_ROWS - rows])
            rows = min(SAMPLE_ROWS, rows + batch.num_rows)
            if rows >= SAMPLE_ROWS:
                break
        sample = columns
    mapping = {}
    for column in table.columns:
        if column in overrides:
            mapping[column] = overrides[column]
            continue
        values = [None if v is None else str(v) for v in sample.get(column, [])]
        kind = classify_column(column, values).kind
        if kind != "none":
            mapping[column] = kind
    return mapping
