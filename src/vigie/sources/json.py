"""JSON documents, JSON arrays and NDJSON (MongoDB exports) as one flattened table.

DuckDB's `read_json_objects` splits the file into records, streaming, with a bounded
record size and byte/line positions in its errors. Each record is then flattened in
Python: nested objects to dotted paths (`contact.email`), arrays to `[]` paths
(`appointments[].reason`, `tags[]`), one output row per top-level record, the values
of an array joined with '|'. DuckDB's own `json_group_structure` is not used for the
schema because it collapses a key that is an object in one record and a string in
another into one opaque column, losing the nested paths. The schema is every path
seen in any record, in order of first appearance (one pass before reading).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from vigie.errors import InputError
from vigie.sources import duckscan
from vigie.sources.base import BATCH_ROWS, SourceInfo, Table
from vigie.sources.limits import check_columns, max_line_bytes
from vigie.sources.scratch import OwningSource, Scratch
from vigie.sources.textfile import prepare_text

ARRAY_JOIN = "|"
MAX_DEPTH = 64          # deeper nesting is kept as JSON text in one column
SCALAR_COLUMN = "value"  # the column of records that are not objects


def open_json(path: Path, label: str) -> OwningSource:
    """Open a JSON / NDJSON file; see the module docstring."""
    scratch = Scratch()
    try:
        text = prepare_text(path, label, scratch, check_lines=False)
        is_array = text.head.lstrip("\ufeff \t\r\n").startswith("[")
        sql = (f"SELECT json FROM read_json_objects({duckscan.quote_literal(str(text.path))}, "
               f"format='{'array' if is_array else 'auto'}', "
               f"maximum_object_size={max_line_bytes()})")
        columns: dict[str, None] = {}
        rows = 0
        for record in _records(sql, label):
            rows += 1
            for key in flatten(record):
                columns.setdefault(key)
            check_columns(label, len(columns))
    except BaseException:
        scratch.cleanup()
        raise
    names = list(columns) or [SCALAR_COLUMN]
    table = Table(name=path.stem, columns=names, rows=rows, origin=label,
                  batches=lambda: _batches(sql, label, names))
    fmt = "json" if is_array or rows <= 1 else "ndjson"
    info = SourceInfo(path=label, format=fmt, bytes=text.size, encoding=text.encoding)
    return OwningSource(info, lambda: iter([table]), scratch=scratch)


def _records(sql: str, label: str) -> Iterator[object]:
    number = 0
    for batch in duckscan.stream(sql, label):
        for raw in batch.column(0).to_pylist():
            number += 1
            try:
                yield json.loads(raw)
            except (ValueError, RecursionError):
                raise InputError(label, f"malformed or too deeply nested JSON in record "
                                 f"{number}") from None


def flatten(record: object) -> dict[str, str | None]:
    """Path -> value (array values joined with '|'), None for a null; a key whose value is
    null still names its column (so columns keep the documents' key order)."""
    collected: dict[str, list[str]] = {}
    if isinstance(record, dict):
        _walk(record, "", collected, 0)
    else:
        _walk(record, SCALAR_COLUMN, collected, 0)
    return {path: ARRAY_JOIN.join(values) if values else None
            for path, values in collected.items()}


def _walk(value: object, path: str, out: dict[str, list[str]], depth: int) -> None:
    if depth > MAX_DEPTH:
        out.setdefault(path, []).append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), out, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _walk(item, f"{path}[]", out, depth + 1)
    elif value is None:
        out.setdefault(path, [])
    else:
        out.setdefault(path, []).append(_scalar(value))


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _batches(sql: str, label: str, names: list[str]) -> Iterator[pa.RecordBatch]:
    buffer: dict[str, list[str | None]] = {name: [] for name in names}
    filled = 0
    for record in _records(sql, label):
        flat = flatten(record)
        for name, values in buffer.items():
            values.append(flat.get(name))
        filled += 1
        if filled == BATCH_ROWS:
            yield _batch(buffer)
            buffer, filled = {name: [] for name in names}, 0
    if filled:
        yield _batch(buffer)


def _batch(buffer: dict[str, list[str | None]]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array(v, pa.string()) for v in buffer.values()],
                                      names=list(buffer))
