"""Stream a DuckDB query as Arrow record batches, turning DuckDB errors into InputErrors.

DuckDB error texts quote the offending input line ("Original Line: ..."), which is
personal data in a leak: they are never passed on. `input_error` keeps only the line
number and a fixed description of what went wrong.
"""

from __future__ import annotations

import re
from typing import Iterator

import duckdb
import pyarrow as pa

from vigie.errors import InputError
from vigie.sources.base import BATCH_ROWS, single_row

# DuckDB's own phrasings only: the file path in its messages may contain "line0" etc.
_LINE = re.compile(r"CSV Error on Line: (\d+)|at byte \d+ in line (\d+):")
_COLUMNS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_RECORD = re.compile(r"record/value (\d+)")

# (fragment of DuckDB's message, what the user is told); first match wins.
_KNOWN = [
    ("Maximum line size", "line longer than the line size limit"),
    ("maximum_object_size", "a JSON record is larger than the record size limit"),
    ("unterminated quote", "unterminated quoted field"),
    ("Invalid unicode", "not valid UTF-8 text"),
    ("not utf-8 encoded", "not valid UTF-8 text"),
    ("is not latin-1 encoded", "not valid Latin-1 text"),
    ("state machine reached an invalid state", "malformed delimited text (inconsistent quoting "
     "or line endings)"),
    ("Malformed JSON", "malformed JSON"),
    ("Out of Memory", "input needs more memory than allowed"),
]

STRUCTURAL = ("Expected Number of Columns", "unterminated quote",
              "state machine reached an invalid state")


def is_structural(exc: BaseException) -> bool:
    """A CSV layout problem that the tolerant reader can handle (ragged rows, mixed EOLs)."""
    return any(fragment in str(exc) for fragment in STRUCTURAL)


def input_error(label: str, exc: BaseException) -> InputError:
    """An InputError naming the file and line, with no byte of the input in it."""
    text = str(exc)
    line_match = _LINE.search(text)
    line = int(line_match.group(1) or line_match.group(2)) if line_match else None
    columns = _COLUMNS.search(text)
    if columns:
        message = f"row has {columns.group(2)} fields where {columns.group(1)} are expected"
    else:
        message = next((said for fragment, said in _KNOWN if fragment in text),
                       f"unreadable input ({type(exc).__name__})")
    record = _RECORD.search(text)
    if record and line is None:
        message += f" (record {record.group(1)})"
    return InputError(label, message, line=line)


def connect() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB with a memory cap, so a crafted input cannot take the
    host, and no progress bar (DuckDB would draw it on the terminal mid-output)."""
    con = duckdb.connect(config={"memory_limit": "1GB"})
    con.execute("SET enable_progress_bar = false")
    return con


def stream(sql: str, label: str) -> Iterator[pa.RecordBatch]:
    """Record batches of `sql`, each at most BATCH_ROWS rows, errors as InputError."""
    con = connect()
    try:
        try:
            reader = con.sql(sql).to_arrow_reader(BATCH_ROWS)
            for batch in reader:
                yield batch
        except (duckdb.Error, OSError) as exc:
            raise input_error(label, exc) from None
    finally:
        con.close()


def scalar(sql: str):
    """The single value of `sql`; DuckDB errors are left to the caller to interpret."""
    con = connect()
    try:
        return single_row(con.execute(sql).fetchone())[0]
    finally:
        con.close()


def quote_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
