"""Delimited text (CSV, TSV, ';' or '|' exports, with or without header) as one table.

Encoding and line-length checks: textfile.py. Delimiter, title lines, header: sniff.py.
Reading:
DuckDB's `read_csv` with the sniffed dialect spelled out, strict, all columns VARCHAR.
The layout is not proven at open (a `count(*)` costs a whole parse: 2 s on a 634 MB
export): `CsvTable` proves it when first asked, by that count or by the first full
stream, whose strict read fails on the first irregular row. Irregular files (ragged
rows, CRLF mixed with LF) have no safe DuckDB mode: `strict_mode=false` silently drops
the extra fields of a long row, and `null_padding` cannot be combined with quoted
newlines in parallel. They go to the csv module instead (slower, exact): short rows are
padded with nulls, fields beyond the header get columns named column_N, so no row and
no value is dropped. Empty fields are nulls in both readers.
"""

from __future__ import annotations

import csv as pycsv
import itertools
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa

from vigie.errors import InputError
from vigie.sources import duckscan
from vigie.sources.base import BATCH_ROWS, SourceInfo, Table
from vigie.sources.limits import check_columns, max_line_bytes
from vigie.sources.scratch import OwningSource, Scratch
from vigie.sources.sniff import Dialect, column_names, sniff_dialect
from vigie.sources.textfile import TextFile, prepare_text


def open_csv(path: Path, label: str) -> OwningSource:
    """Open a delimited text file; see the module docstring for how it is read."""
    scratch = Scratch()
    try:
        text = prepare_text(path, label, scratch)
        dialect = sniff_dialect(text.head, text.complete)
        check_columns(label, len(dialect.columns))
        table = CsvTable(path.stem, text, dialect, label)
    except BaseException:
        scratch.cleanup()
        raise
    info = SourceInfo(path=label, format="csv", bytes=text.size, encoding=text.encoding,
                      delimiter=dialect.delimiter, header=dialect.header)
    return OwningSource(info, lambda: iter([table]), scratch=scratch)


def read_csv_sql(text: TextFile, dialect: Dialect) -> str:
    """The DuckDB table expression that reads the file with the sniffed dialect."""
    q = duckscan.quote_literal
    columns = ", ".join(f"{q(name)}: 'VARCHAR'" for name in dialect.columns)
    return (f"read_csv({q(str(text.path))}, auto_detect=false, delim={q(dialect.delimiter)}, "
            f"quote='\"', escape='\"', header={'true' if dialect.header else 'false'}, "
            f"columns={{{columns}}}, encoding={q(text.duckdb_encoding)}, "
            f"skip={dialect.skip_lines}, "
            f"max_line_size={max_line_bytes()})")


class CsvTable(Table):
    """A delimited text table whose layout is proven regular lazily (see module docstring).

    Until proven, `columns` are the sniffed ones; reading `columns`, `rows` or
    `duckdb_sql` proves the layout first (one DuckDB `count(*)`, which also gives
    `rows`), because a consumer planning from them must get the final answer. A stream started before that
    is DuckDB's strict read and is the proof itself: completed, it sets `rows`;
    interrupted by a layout error after k rows, it goes on with the tolerant reader
    from record k+1 (same records, same values: nothing lost, nothing repeated).
    """

    def __init__(self, name: str, text: TextFile, dialect: Dialect, label: str):
        # Not the dataclass __init__: columns, rows and duckdb_sql are properties here.
        self.name, self.origin, self.sample_rows = name, label, None
        self._text, self._dialect, self._label = text, dialect, label
        self._sql = read_csv_sql(text, dialect)
        self._columns = list(dialect.columns)
        self._rows: int | None = None
        self._layout: str | None = None      # None (unproven), "duckdb" or "tolerant"

    @property
    def columns(self) -> list[str]:
        self._prove()
        return self._columns

    @columns.setter
    def columns(self, value: list[str]) -> None:
        self._columns = value

    @property
    def rows(self) -> int | None:
        """Known after a full stream; asked for before, it is counted (proving the layout)."""
        self._prove()
        return self._rows

    @rows.setter
    def rows(self, value: int | None) -> None:
        self._rows = value

    # Read-only on purpose (the base's is a plain field): the expression exists only once
    # the layout is proven, and nothing assigns it after construction.
    @property
    def duckdb_sql(self) -> str | None:  # type: ignore[override]
        """The read_csv expression, only once the file is proven regular."""
        self._prove()
        return self._sql if self._layout == "duckdb" else None

    def batches(self) -> Iterator[pa.RecordBatch]:
        if self._layout == "duckdb":
            return duckscan.stream(f"SELECT * FROM {self._sql}", self._label)
        if self._layout == "tolerant":
            return self._tolerant_batches(skip=0)
        return self._optimistic_batches()

    def copy_with_duckdb(self, copy) -> bool:
        """The copy is DuckDB's strict read, so it proves the layout (see Table)."""
        if self._layout is not None:
            return super().copy_with_duckdb(copy)
        return self._strict_read(lambda sql: copy(sql, len(self._columns)))

    def _prove(self) -> None:
        if self._layout is None:
            self._strict_read(self._count)

    def _count(self, sql: str) -> None:
        self._rows = duckscan.scalar(f"SELECT count(*) FROM {sql}")

    def _strict_read(self, read) -> bool:
        """Run `read(read_csv expression)`: done, the layout is DuckDB's; stopped by a
        layout error, the tolerant reader takes over (False); any other error is the
        file's, named without its bytes."""
        try:
            read(self._sql)
        except (duckdb.Error, OSError) as exc:
            if not duckscan.is_structural(exc):
                raise duckscan.input_error(self._label, exc) from None
            self._use_tolerant()
            return False
        self._layout = "duckdb"
        return True

    def _use_tolerant(self) -> None:
        """Switch to the csv-module reader: one pass for the row count and widest row."""
        rows = width = 0
        for fields in _records(self._text, self._dialect, self._label):
            rows += 1
            if len(fields) > width:
                width = len(fields)
                check_columns(self._label, width)
        dialect = self._dialect
        header = dialect.columns if dialect.header else []
        self._columns = column_names(header, max(width, len(dialect.columns)))
        self._rows, self._layout = rows, "tolerant"

    def _optimistic_batches(self) -> Iterator[pa.RecordBatch]:
        """DuckDB's strict stream; on a layout error, the tolerant reader takes over.

        Rows longer than the header widen `columns` (extra column_N): when that is found
        only after batches went out, the later batches carry the extra columns."""
        streamed, regular = 0, True
        con = duckscan.connect()
        try:
            for batch in con.sql(f"SELECT * FROM {self._sql}").to_arrow_reader(BATCH_ROWS):
                streamed += batch.num_rows
                yield batch
        except (duckdb.Error, OSError) as exc:
            if not duckscan.is_structural(exc):
                raise duckscan.input_error(self._label, exc) from None
            regular = False
        finally:
            con.close()
        if regular:
            if self._layout is None:
                self._rows, self._layout = streamed, "duckdb"
            return
        if self._layout != "tolerant":
            self._use_tolerant()
        yield from self._tolerant_batches(skip=streamed)

    def _tolerant_batches(self, skip: int) -> Iterator[pa.RecordBatch]:
        columns = self._columns
        buffer: list[list[str | None]] = [[] for _ in columns]
        filled = 0
        records = _records(self._text, self._dialect, self._label)
        for fields in itertools.islice(records, skip, None):
            for index, column in enumerate(buffer):
                value = fields[index] if index < len(fields) else None
                column.append(value or None)
            filled += 1
            if filled == BATCH_ROWS:
                yield _batch(buffer, columns)
                buffer, filled = [[] for _ in columns], 0
        if filled:
            yield _batch(buffer, columns)


def _records(text: TextFile, dialect: Dialect, label: str) -> Iterator[list[str]]:
    """The fields of every non-blank record after the header, with the csv module."""
    pycsv.field_size_limit(max(max_line_bytes(), pycsv.field_size_limit()))
    encoding = "latin-1" if text.duckdb_encoding == "latin-1" else "utf-8-sig"
    with open(text.path, encoding=encoding, newline="") as fh:
        skip = dialect.skip_lines
        for _ in range(skip):
            fh.readline()
        reader = pycsv.reader(fh, delimiter=dialect.delimiter, quotechar='"', strict=True)
        first = True
        try:
            for fields in reader:
                if first and dialect.header:
                    first = False
                    continue
                first = False
                if fields:
                    yield fields
        except pycsv.Error as exc:
            reason = "field longer than the size limit" if "larger than" in str(exc) \
                else "malformed delimited text (quoting)"
            raise InputError(label, reason, line=skip + reader.line_num + 1) from None
        except UnicodeDecodeError:
            raise InputError(label, "not valid UTF-8 text",
                             line=skip + reader.line_num + 1) from None


def _batch(buffer: list[list[str | None]], columns: list[str]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array(values, pa.string()) for values in buffer],
                                      names=columns)
