"""Delimited text (CSV, TSV, ';' or '|' exports, with or without header) as one table.

Encoding and line-length checks: textfile.py. Delimiter, title lines, header: sniff.py.
Reading:
DuckDB's `read_csv` with the sniffed dialect spelled out, strict, all columns VARCHAR.
A `count(*)` at open both gives the row count and proves the layout is regular. When
it is not (ragged rows, CRLF mixed with LF), DuckDB has no safe mode: `strict_mode=false`
silently drops the extra fields of a long row, and `null_padding` cannot be combined
with quoted newlines in parallel. Those files go to the csv module instead (slower,
exact): short rows are padded with nulls, fields beyond the header get columns named
column_N, so no row and no value is dropped. Empty fields are nulls in both readers.
"""

from __future__ import annotations

import csv as pycsv
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
        table = _duckdb_table(path.stem, text, dialect, label)
        if table is None:
            table = _tolerant_table(path.stem, text, dialect, label)
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


def _duckdb_table(name: str, text: TextFile, dialect: Dialect, label: str) -> Table | None:
    sql = read_csv_sql(text, dialect)
    try:
        rows = duckscan.scalar(f"SELECT count(*) FROM {sql}")
    except (duckdb.Error, OSError) as exc:
        if duckscan.is_structural(exc):
            return None
        raise duckscan.input_error(label, exc) from None
    return Table(name=name, columns=list(dialect.columns), rows=rows, origin=label,
                 batches=lambda: duckscan.stream(f"SELECT * FROM {sql}", label),
                 duckdb_sql=sql)


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


def _tolerant_table(name: str, text: TextFile, dialect: Dialect, label: str) -> Table:
    rows = width = 0
    for fields in _records(text, dialect, label):
        rows += 1
        if len(fields) > width:
            width = len(fields)
            check_columns(label, width)
    header = dialect.columns if dialect.header else []
    columns = column_names(header, max(width, len(dialect.columns)))

    def batches() -> Iterator[pa.RecordBatch]:
        buffer: list[list[str | None]] = [[] for _ in columns]
        filled = 0
        for fields in _records(text, dialect, label):
            for index, column in enumerate(buffer):
                value = fields[index] if index < len(fields) else None
                column.append(value or None)
            filled += 1
            if filled == BATCH_ROWS:
                yield _batch(buffer, columns)
                buffer, filled = [[] for _ in columns], 0
        if filled:
            yield _batch(buffer, columns)

    return Table(name=name, columns=columns, rows=rows, origin=label, batches=batches)


def _batch(buffer: list[list[str | None]], columns: list[str]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array(values, pa.string()) for values in buffer],
                                      names=columns)
