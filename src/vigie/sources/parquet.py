"""Parquet files with pyarrow: one table, typed columns, streamed by row group batches."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from vigie.errors import InputError
from vigie.sources.base import BATCH_ROWS, Source, SourceInfo, Table
from vigie.sources.duckscan import quote_literal


def open_parquet(path: Path, label: str) -> Source:
    """Open a Parquet file; `rows` comes from its footer."""
    try:
        meta = pq.ParquetFile(path)
        columns = list(meta.schema_arrow.names)
        rows = meta.metadata.num_rows
    except (pa.ArrowException, OSError) as exc:
        raise InputError(label, f"unreadable Parquet file ({type(exc).__name__})") from None

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(label, f"corrupt Parquet data ({type(exc).__name__})") from None

    table = Table(name=path.stem, columns=columns, rows=rows, origin=label, batches=batches,
                  duckdb_sql=f"read_parquet({quote_literal(str(path))})")
    info = SourceInfo(path=label, format="parquet", bytes=path.stat().st_size)
    return Source(info, lambda: iter([table]))
