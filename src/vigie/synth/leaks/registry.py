"""The organisation's own patient registry: the other side of a leak-to-registry linkage.

It is the population's patients table as is (with patient_id), as Parquet or as CSV
(lists joined by '|', dates ISO).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from vigie.synth.leaks.textfiles import write_delimited

REGISTRY_FORMATS = ("csv", "parquet")


def as_text_table(patients: pa.Table) -> pa.Table:
    """Every column as text: list columns joined by '|', dates ISO."""
    columns = []
    for column in patients.columns:
        if pa.types.is_list(column.type):
            column = pc.binary_join(column, "|")
        columns.append(pc.cast(column, pa.string()))
    return pa.table(columns, names=patients.column_names)


def write_registry(pop, out_dir: Path, fmt: str) -> Path:
    """Write out_dir/registry.<fmt> and return its path."""
    if fmt not in REGISTRY_FORMATS:
        raise ValueError(f"registry format must be one of {REGISTRY_FORMATS}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"registry.{fmt}"
    if fmt == "parquet":
        pq.write_table(pop.patients, path)
    else:
        table = as_text_table(pop.patients)
        write_delimited(path, table.schema, iter(table.to_batches(65_536)), delimiter=",")
    return path
