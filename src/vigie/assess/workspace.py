"""The DuckDB workspace of one assessment: a temp-file database, bounded memory, cleaned up.

Every table of the leak is copied once into a DuckDB database file under a private
temporary folder, so that the many counting queries scan a columnar copy instead of
re-parsing the input, and memory stays bounded whatever the input size (DuckDB spills to
the same folder beyond its memory limit). The folder goes when the workspace closes.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from vigie.assess.person_keys import install_macros
from vigie.errors import InputError
from vigie.sources.base import Table

MEMORY_LIMIT = os.environ.get("VIGIE_DUCKDB_MEMORY", "1GB")
_LINE = re.compile(r"\bline:?\s*(\d+)", re.IGNORECASE)


def quote(identifier: str) -> str:
    """A DuckDB identifier, quoted (hostile headers cannot break out)."""
    return '"' + identifier.replace('"', '""') + '"'


class Workspace:
    """A DuckDB connection on a private temp-file database; use as a context manager."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vigie-assess-"))
        os.chmod(self.folder, 0o700)
        self.con = duckdb.connect(str(self.folder / "assess.duckdb"))
        spill = str(self.folder / "spill").replace("'", "''")
        self.con.execute(f"SET temp_directory = '{spill}'")
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute("SET preserve_insertion_order = false")
        install_macros(self.con)

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def load(self, table: Table, sql_name: str) -> int:
        """Copy `table` into `sql_name` with columns c0..cN as trimmed VARCHAR (empty = NULL).

        Reads the source's DuckDB expression when it has one (parallel, no Python in the
        loop), else its Arrow stream. Returns the number of rows. Errors become InputError
        naming the table's origin and, when DuckDB gives one, the line; never a value.
        """
        aliases = ", ".join(f"c{i}" for i in range(len(table.columns)))
        select = ", ".join(f"NULLIF(trim(CAST(c{i} AS VARCHAR)), '') AS c{i}"
                           for i in range(len(table.columns)))
        if not table.columns:
            self.con.execute(f"CREATE TABLE {sql_name} (c0 VARCHAR)")
            return 0
        failure: list[BaseException] = []
        try:
            if table.duckdb_sql:
                self.con.execute(f"CREATE TABLE {sql_name} AS SELECT {select} "
                                 f"FROM {table.duckdb_sql} AS src({aliases})")
            else:
                reader = _guarded(table.reader(), failure)
                self.con.register("vigie_incoming", reader)
                try:
                    self.con.execute(f"CREATE TABLE {sql_name} AS SELECT {select} "
                                     f"FROM vigie_incoming AS src({aliases})")
                finally:
                    self.con.unregister("vigie_incoming")
        except InputError:
            raise
        except duckdb.Error as exc:
            if failure:
                raise failure[0] from None
            line = _LINE.search(str(exc))
            raise InputError(table.origin or table.name,
                             f"table '{table.name[:60]}' could not be read ({type(exc).__name__})",
                             line=int(line.group(1)) if line else None) from None
        if failure:
            raise failure[0]
        return self.con.execute(f"SELECT count(*) FROM {sql_name}").fetchall()[0][0]


def _guarded(reader: pa.RecordBatchReader, failure: list[BaseException]) -> pa.RecordBatchReader:
    """The same stream, but an error raised by the source is kept for the caller.

    DuckDB wraps exceptions raised inside a scanned Python stream into its own error type
    with the original message (which may quote input); keeping the original lets the
    reader's InputError reach the user unchanged.
    """
    def batches():
        try:
            yield from reader
        except BaseException as exc:  # noqa: BLE001 - re-raised by Workspace.load
            failure.append(exc)
            raise
    return pa.RecordBatchReader.from_batches(reader.schema, batches())
