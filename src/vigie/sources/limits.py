"""Limits that keep hostile inputs from exhausting memory or disk.

Each limit can be lowered (or raised) with an environment variable, read at call time so
tests and users can adjust it without code: a limit hit is an `InputError` that states it.
"""

from __future__ import annotations

import os

from vigie.errors import InputError

MiB = 1 << 20
GB = 10 ** 9


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return max(1, int(value))
    except ValueError:
        return default


def max_line_bytes() -> int:
    """Longest physical line (CSV, NDJSON) or JSON record accepted: VIGIE_MAX_LINE_BYTES.

    The default is DuckDB's own (2 MiB): DuckDB sizes its read buffers from it, and
    measured on a 634 MB export, 8 MiB raised peak memory from 307 MB to 543 MB.
    """
    return _env_int("VIGIE_MAX_LINE_BYTES", 2 * MiB)


def max_uncompressed_bytes() -> int:
    """Total bytes an archive may expand to: VIGIE_MAX_UNCOMPRESSED_BYTES (default 20 GB)."""
    return _env_int("VIGIE_MAX_UNCOMPRESSED_BYTES", 20 * GB)


def max_compression_ratio() -> int:
    """Largest uncompressed/compressed ratio of one archive member: VIGIE_MAX_COMPRESSION_RATIO."""
    return _env_int("VIGIE_MAX_COMPRESSION_RATIO", 200)


# Archives inside archives: a zip holding a zip holding a gzip is depth 3; deeper is refused.
MAX_NESTING = 3


def max_columns() -> int:
    """Most columns one table may have (a crafted header or JSON keys): VIGIE_MAX_COLUMNS."""
    return _env_int("VIGIE_MAX_COLUMNS", 10_000)


def check_columns(label: str, count: int) -> None:
    """Refuse a table wider than `max_columns()`."""
    if count > max_columns():
        raise InputError(label, f"more than {max_columns()} columns; raise VIGIE_MAX_COLUMNS "
                         "to read it")
