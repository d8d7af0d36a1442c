"""SQLite database files: every ordinary table, read-only, values as text.

The file is opened with `mode=ro` and `trusted_schema=OFF`; only `SELECT` on tables
named in sqlite_master is run (views, triggers and virtual tables, which could run
code from the file's schema, are never read). SQLite columns have no fixed type, so
every value is turned into text (BLOBs as hex) to give each column one Arrow type.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pyarrow as pa

from vigie.errors import InputError
from vigie.sources.base import BATCH_ROWS, Source, SourceInfo, Table


def _connect(path: Path, label: str) -> sqlite3.Connection:
    # check_same_thread=False: DuckDB pulls a batch stream from its own threads (one at a
    # time), so a reader's connection is used by a thread other than its creator's.
    try:
        con = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                              check_same_thread=False)
        con.execute("PRAGMA trusted_schema=OFF")
        con.execute("PRAGMA query_only=ON")
        return con
    except sqlite3.Error as exc:
        raise InputError(label, f"unreadable SQLite file ({type(exc).__name__})") from None


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def open_sqlite(path: Path, label: str) -> Source:
    """Open a SQLite file; one table per ordinary table, `rows` from count(*)."""
    con = _connect(path, label)
    tables = []
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND upper(sql) NOT LIKE 'CREATE VIRTUAL%' ORDER BY rowid")]
        for name in names:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({_ident(name)})")]
            rows = con.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone()[0]
            tables.append(Table(name=name, columns=columns, rows=rows,
                                origin=f"{label}!{name}",
                                batches=_reader(path, label, name, columns)))
    except sqlite3.Error as exc:
        raise InputError(label, f"unreadable SQLite file ({type(exc).__name__})") from None
    finally:
        con.close()
    info = SourceInfo(path=label, format="sqlite", bytes=path.stat().st_size)
    return Source(info, lambda: iter(tables))


def _reader(path: Path, label: str, name: str, columns: list[str]):
    def batches() -> Iterator[pa.RecordBatch]:
        con = _connect(path, label)
        try:
            select = ", ".join(_ident(c) for c in columns)
            cursor = con.execute(f"SELECT {select} FROM {_ident(name)}")
            while rows := cursor.fetchmany(BATCH_ROWS):
                arrays = [pa.array([_text(r[i]) for r in rows], pa.string())
                          for i in range(len(columns))]
                yield pa.RecordBatch.from_arrays(arrays, names=columns)
        except sqlite3.Error as exc:
            raise InputError(f"{label}!{name}",
                             f"unreadable SQLite data ({type(exc).__name__})") from None
        finally:
            con.close()
    return batches
