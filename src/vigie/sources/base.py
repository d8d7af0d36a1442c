"""What every reader yields: named tables streamed as Arrow record batches.

A `Source` is opened once per path or URL. Its `info` says what was detected (format,
encoding, delimiter, size); `tables()` yields one `Table` per table in the source (a
sheet, a dump table, an archive member, a database table). A `Table` can be read
several times (`batches()` starts a fresh stream each call) so that a sample pass and a
full counting pass need no copy. All values are strings or nulls unless the source is
typed (Parquet, SQLite, live databases); consumers must not rely on types.

Readers must keep memory bounded whatever the input: stream, never load a whole file.
Every failure is an `InputError` naming the file and the line or byte offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, TypeVar

import pyarrow as pa

BATCH_ROWS = 65_536

_Row = TypeVar("_Row")


def single_row(row: _Row | None) -> _Row:
    """The fetched row of a query that always returns one (a count(*)): None is a bug."""
    if row is None:
        raise RuntimeError("a single-row query returned no row")
    return row


@dataclass
class SourceInfo:
    """What was detected about a source; serialised as the report's `source` object."""

    path: str
    format: str                      # csv, json, ndjson, excel, parquet, sqlite, mysqldump, pgdump, zip, gzip, tar, folder, postgresql, mariadb
    bytes: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header: bool | None = None
    members: list[str] = field(default_factory=list)   # archive / folder members read

    def to_dict(self) -> dict:
        out: dict[str, object] = {"path": self.path, "format": self.format}
        for key in ("encoding", "delimiter", "bytes", "header"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.members:
            out["members"] = list(self.members)
        return out


@dataclass
class Table:
    """One named table. `columns` are names in order (position = index).

    `batches` returns a fresh iterator of record batches whose schema has exactly
    `columns`. `rows` is set when known without a full read (Parquet, SQLite, a
    database); `count_rows()` reads the stream when it is not.
    `origin` names the file or member the table came from, for error messages.
    """

    name: str
    columns: list[str]
    batches: Callable[[], Iterator[pa.RecordBatch]]
    rows: int | None = None
    origin: str = ""
    # Optional fast path: a DuckDB SQL table expression (e.g. "read_csv('x', ...)") that
    # yields the same columns, used by consumers that run SQL over the table.
    duckdb_sql: str | None = None
    # Optional fast path: about n rows drawn across the whole table (TABLESAMPLE on
    # PostgreSQL, key ranges on MariaDB). Without it consumers sample from the stream.
    sample_rows: Callable[[int], pa.Table] | None = None

    def reader(self) -> pa.RecordBatchReader:
        """A fresh RecordBatchReader (DuckDB can scan it directly)."""
        first = None
        it = self.batches()
        schema = None
        for first in it:
            schema = first.schema
            break
        if schema is None:
            schema = pa.schema([pa.field(c, pa.string()) for c in self.columns])
            return pa.RecordBatchReader.from_batches(schema, iter(()))

        def chain():
            yield first
            yield from it

        return pa.RecordBatchReader.from_batches(schema, chain())

    def copy_with_duckdb(self, copy: Callable[[str, int], None]) -> bool:
        """Run `copy(expression, n_columns)` over the DuckDB fast path; False without one.

        A reader whose expression is not proven yet (CsvTable) lets the copy itself be
        the proof, saving a whole parse; on a layout error it returns False and the
        caller reads `columns` and `batches()` instead.
        """
        if not self.duckdb_sql or not self.columns:
            return False
        copy(self.duckdb_sql, len(self.columns))
        return True

    def count_rows(self) -> int:
        if self.rows is None:
            self.rows = sum(b.num_rows for b in self.batches())
        return self.rows


class Source:
    """An opened leak: what was detected, and its tables."""

    def __init__(self, info: SourceInfo, tables: Callable[[], Iterator[Table]]):
        self.info = info
        self._tables = tables

    def tables(self) -> Iterator[Table]:
        return self._tables()

    def close(self) -> None:  # readers holding resources override via a subclass
        pass

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
