"""DuckDB baselines over a delimited file, shared by the sources and assess benches.

`count(*)` is the goal's baseline, but DuckDB answers it without materialising any
field (projection pushdown: it only needs record boundaries). Anything that looks at
every value — Vigie's reading layer, an assessment — does more, so each bench also
reports DuckDB reading every value of the same file (`sum(length(col))` over all
columns): the floor for any reader built on DuckDB, measured in the same run.
"""

from __future__ import annotations

import time
from pathlib import Path


def duckdb_readable(path: Path) -> tuple[Path, str]:
    """The file itself when DuckDB reads it (UTF-8), else a UTF-8 copy made once beside it,
    and a note saying which. DuckDB cannot read cp1252 (its `encodings` extension is a
    download), so the baselines read what Vigie's reader reads after transcoding; cp1252
    is one byte per character, so chunks decode independently."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    try:
        head.decode("utf-8")
        return path, "the export itself"
    except UnicodeDecodeError:
        pass
    copy = path.with_name(path.name + ".utf8")
    if not copy.exists():
        partial = copy.with_name(copy.name + ".part")
        with path.open("rb") as src, partial.open("w", encoding="utf-8") as dst:
            while chunk := src.read(16 << 20):
                dst.write(chunk.decode("cp1252", errors="replace"))
        partial.rename(copy)
    return copy, "a UTF-8 copy (DuckDB cannot read cp1252)"


def _read_csv(path: Path) -> str:
    literal = str(path).replace("'", "''")
    return f"read_csv('{literal}', all_varchar=true)"


def count_rows(path: Path) -> tuple[int, float]:
    """Rows and seconds of `SELECT count(*) FROM read_csv(...)`."""
    import duckdb      # here, so a bench child timing this pays DuckDB's import, as Vigie does

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    rows = con.execute(f"SELECT count(*) FROM {_read_csv(path)}").fetchall()[0][0]
    return rows, time.perf_counter() - started


def read_every_value(path: Path) -> tuple[int, float]:
    """Rows and seconds of DuckDB parsing every field (total length of all values)."""
    import duckdb      # see count_rows

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {_read_csv(path)}").fetchall()]
    lengths = " + ".join(f'coalesce(length("{c.replace(chr(34), chr(34) * 2)}"), 0)'
                         for c in columns)
    rows, _ = con.execute(f"SELECT count(*), sum({lengths}) FROM {_read_csv(path)}").fetchall()[0]
    return rows, time.perf_counter() - started
