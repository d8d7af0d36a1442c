"""Rows of the `INSERT ... VALUES (...), (...);` statements of a SQL dump, never executed.

Shared by the mysqldump reader and the pg_dump reader (`pg_dump --inserts`); a `Dialect`
says how the flavour quotes names and strings. Speed comes from one regex per row
built for the row's width: a whole tuple is recognised in C and Python touches each
row once; values are then decoded column-wise with Arrow compute, Python only for the
few values with unusual escapes. A row crossing the read window, or a malformed one,
goes through the value-by-value slow path, which reads on or says what is wrong.
No library parses MySQL/PostgreSQL INSERT text without a server, hence this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from vigie.errors import InputError
from vigie.sources.base import BATCH_ROWS
from vigie.sources.sqlscan import Window, ensure, skip_gap, skip_statement

# Quoted strings in the "unrolled loop" form (runs of plain bytes eaten whole, one
# alternation per escape), about 1.5x faster than a per-character alternation.
_BACKSLASH_STRING = rb"'[^'\\]*+(?:(?:\\.|'')[^'\\]*+)*+'"
_STANDARD_STRING = rb"'[^']*+(?:''[^']*+)*+'"
_BARE = rb"[^,()'\s]++"


@dataclass(frozen=True)
class Dialect:
    """How one SQL flavour writes INSERT statements."""

    name: str
    insert_re: re.Pattern        # INSERT header: group 1 table name, group 2 column list
    body_re: re.Pattern          # a statement's text up to its ';' (see skip_statement)
    unquote: Callable[[bytes | str], str]
    value: bytes                 # regex of one value, as one capturing group
    cut_value: re.Pattern        # what a value cut by the end of the file looks like
    resolve: Callable[[pa.Array], pa.Array]   # raw tokens -> value bytes (nulls applied)
    table_quote: str = "`"

    @property
    def value_re(self) -> re.Pattern:
        return _value_re(self.value)

    def row_re(self, width: int) -> re.Pattern:
        return _row_re(self.value, width)


@lru_cache(maxsize=8)
def _value_re(value: bytes) -> re.Pattern:
    return re.compile(rb"\s*+" + value + rb"\s*+([,)])", re.S)


@lru_cache(maxsize=64)
def _row_re(value: bytes, width: int) -> re.Pattern:
    """A regex matching one whole row of `width` values and its ',' or ';'.

    The `;` branch carries an empty group so that `m.lastindex` tells the last row.
    """
    return re.compile(rb"\(\s*+" + rb"\s*+,\s*+".join([value] * width)
                      + rb"\s*+\)\s*+(?:,|;())\s*+", re.S)


_ROW_OPEN_RE = re.compile(rb"\s*+\(")
_ROW_NEXT_RE = re.compile(rb"\s*+[,;]")


def _quoted_body(raw: pa.Array) -> tuple[pa.Array, pa.Array]:
    quoted = pc.starts_with(raw, "'")
    return quoted, pc.if_else(quoted, pc.binary_slice(raw, 1, -1), raw)


@lru_cache(maxsize=1)
def _null() -> pa.Scalar:
    """The NULL keyword token; built on first use because making any pyarrow value from
    Python imports pandas (0.5 s), which reading a CSV never needs."""
    return pa.scalar(b"NULL", pa.binary())


def _with_nulls(raw: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(raw, _null()), pa.scalar(None, pa.binary()), values)


def _patch(values: pa.Array, raw: pa.Array, mask: pa.Array,
           fix: Callable[[bytes], bytes]) -> pa.Array:
    """Replace the masked values by fix(raw token), in Python (the rare cases only)."""
    if not pc.any(mask).as_py():
        return values
    fixed = [fix(t) for t in raw.filter(mask).to_pylist()]
    return pc.replace_with_mask(values, mask, pa.array(fixed, pa.binary()))


# --- MySQL / MariaDB: backslash escapes, `` `names` ``, _charset introducers ---------

_MYSQL_ESCAPES = {b"0": b"\0", b"b": b"\b", b"n": b"\n", b"r": b"\r", b"t": b"\t",
                  b"Z": b"\x1a"}
_MYSQL_ESCAPE_RE = re.compile(rb"\\(.)|''", re.S)
# Escapes resolved by plain substring replacement, valid when a value holds no `\\`
# and no `''` (then every backslash starts a two-byte escape and no output makes a new one).
_MYSQL_SIMPLE = [("\\'", "'"), ('\\"', '"'), ("\\n", "\n"), ("\\r", "\r"), ("\\t", "\t"),
                 ("\\0", "\0"), ("\\Z", "\x1a"), ("\\b", "\b")]


def mysql_unescape(token: bytes) -> bytes:
    """A raw value token to its bytes: introducer and quotes dropped, escapes resolved."""
    if token[:1] == b"_":
        token = re.sub(rb"^_\w+\s*", b"", token)
    if token[:1] in b"bBxX" and token[1:2] == b"'":
        return token  # bit / hex literal: kept as written
    if token[:1] == b"'":
        token = token[1:-1]
    return _MYSQL_ESCAPE_RE.sub(
        lambda m: _MYSQL_ESCAPES.get(m.group(1), m.group(1)) if m.group(1) else b"'", token)


def _mysql_resolve(raw: pa.Array) -> pa.Array:
    """Arrow substring replacement for plain escapes (French text is full of \\'),
    the regex for the few others (`\\\\`, `''`, introducers, unlisted escapes)."""
    _, values = _quoted_body(raw)
    odd = pc.or_(pc.or_(pc.match_substring(values, "\\\\"), pc.match_substring(values, "''")),
                 pc.starts_with(raw, "_"))
    simple = pc.and_(pc.match_substring(values, "\\"), pc.invert(odd))
    if pc.any(simple).as_py():
        done = values.filter(simple)
        for escape, char in _MYSQL_SIMPLE:
            done = pc.replace_substring(done, escape, char)
        values = pc.replace_with_mask(values, simple, done)
        odd = pc.or_(odd, pc.and_(simple, pc.match_substring(values, "\\")))
    return _with_nulls(raw, _patch(values, raw, odd, mysql_unescape))


# --- PostgreSQL (pg_dump --inserts): standard strings ('' doubles a quote), E'' strings

_PG_ESCAPES = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t"}
_PG_ESCAPE_RE = re.compile(rb"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))|''", re.S)


def pg_backslash_escape(m: re.Match, escapes: dict[bytes, bytes]) -> bytes:
    """The bytes of one PostgreSQL backslash escape matched as groups 1 (octal digits),
    2 (hex digits) or 3 (any other character, looked up in `escapes`, else itself);
    shared by E'' strings and COPY data, whose letter escapes differ."""
    if m.group(1):
        return bytes([int(m.group(1), 8) & 0xFF])
    if m.group(2):
        return bytes([int(m.group(2), 16)])
    return escapes.get(m.group(3), m.group(3))


def pg_unescape_e(token: bytes) -> bytes:
    """An E'...' string's bytes (C-style backslash escapes, and '' for a quote)."""
    return _PG_ESCAPE_RE.sub(
        lambda m: b"'" if m.group(0) == b"''" else pg_backslash_escape(m, _PG_ESCAPES),
        token[2:-1])


def _pg_resolve(raw: pa.Array) -> pa.Array:
    quoted, values = _quoted_body(raw)
    doubled = pc.and_(quoted, pc.match_substring(values, "''"))
    if pc.any(doubled).as_py():
        values = pc.replace_with_mask(
            values, doubled, pc.replace_substring(values.filter(doubled), "''", "'"))
    e_strings = pc.or_(pc.starts_with(raw, "E'"), pc.starts_with(raw, "e'"))
    return _with_nulls(raw, _patch(values, raw, e_strings, pg_unescape_e))


def make_dialect(name: str, insert_re: re.Pattern, body_re: re.Pattern,
                 unquote: Callable[[bytes | str], str]) -> Dialect:
    """The dialect `name` ("mysql" or "postgresql") with the reader's own header regexes."""
    if name == "mysql":
        value = rb"((?:_\w++\s*+)?(?:" + _BACKSLASH_STRING + rb"|[bBxX]" + _BACKSLASH_STRING \
            + rb"|" + _BARE + rb"))"
        cut = re.compile(rb"\s*+(?:_\w*+\s*+)?(?:'(?:[^'\\]++|\\.|'')*+\\?|[^,()'\s]*+)", re.S)
        return Dialect(name, insert_re, body_re, unquote, value, cut, _mysql_resolve, "`")
    value = rb"((?:[eE]" + _BACKSLASH_STRING + rb"|" + _STANDARD_STRING + rb"|" + _BARE + rb"))"
    cut = re.compile(rb"\s*+(?:[eE]?'[^']*+(?:''[^']*+)*+'?|[^,()'\s]*+)", re.S)
    return Dialect(name, insert_re, body_re, unquote, value, cut, _pg_resolve, '"')


# --- reading ------------------------------------------------------------------------


@dataclass
class Region:
    """A run of one table's INSERT statements in the file."""

    start: int      # byte offset of the first INSERT
    end: int        # byte offset just after the last one
    line: int


@dataclass
class InsertTable:
    """What the index pass learnt about one table's INSERTs."""

    name: str
    columns: list[str] = field(default_factory=list)
    binary: set[str] = field(default_factory=set)   # columns whose non-UTF-8 bytes go hex
    regions: list[Region] = field(default_factory=list)


def column_list(dialect: Dialect, raw: bytes | None) -> list[str] | None:
    if raw is None:
        return None
    return [dialect.unquote(c.strip()) for c in raw.decode("utf-8", "replace").split(",")
            if c.strip()]


def index_insert(win: Window, dialect: Dialect, insert: re.Match,
                 tables: dict[str, InsertTable], last: InsertTable | None) -> InsertTable:
    """Index pass: record the INSERT matched at `pos` and move past it (fast skip)."""
    start = win.pos
    line, offset = win.line_at(start), win.offset_at(start)
    name = dialect.unquote(insert.group(1))
    table = tables.setdefault(name, InsertTable(name))
    cols = column_list(dialect, insert.group(2))
    win.pos += insert.end() - start
    if cols:
        table.columns.extend(c for c in cols if c not in table.columns)
    elif not table.columns:     # no CREATE TABLE, no column list: number the values
        width = len(scan_row(win, dialect, name, None))
        table.columns = [f"column_{i}" for i in range(width)]
    skip_statement(win, dialect.body_re)
    if last is table:
        table.regions[-1].end = win.offset_at(win.pos)
    else:
        table.regions.append(Region(offset, win.offset_at(win.pos), line))
    return table


def scan_row(win: Window, dialect: Dialect, table: str, expected: int | None) -> list[bytes]:
    """Slow path: parse the row at `pos` value by value, fetching more input as needed.

    Used for the first row of a table of unknown width, when a row crosses the buffer
    end, and to say precisely what is wrong when the fast row regex does not match.
    Leaves `pos` where it was (the caller re-reads the row with its fast regex).
    """
    q = dialect.table_quote
    ensure(win, 1)
    opening = _ROW_OPEN_RE.match(win.buf, win.pos)
    if not opening:
        raise win.error(win.pos, f"malformed INSERT INTO {q}{table}{q}: a row does not "
                        "start with '('")
    rel = opening.end() - win.pos
    values = []
    value_re = dialect.value_re
    while True:
        m = value_re.match(win.buf, win.pos + rel)
        if m is None:
            if win.more():
                continue
            truncated = dialect.cut_value.fullmatch(win.buf, win.pos + rel)
            raise win.error(win.pos + rel, "the file ends inside a row (truncated dump?)"
                            if truncated else f"malformed value in INSERT INTO {q}{table}{q}")
        values.append(m.group(1))
        rel = m.end() - win.pos
        if m.group(2) == b")":
            break
    if expected is not None and len(values) != expected:
        raise win.error(win.pos, f"a row of INSERT INTO {q}{table}{q} has {len(values)} "
                        f"values, expected {expected}")
    ensure(win, rel + 2)
    if _ROW_NEXT_RE.match(win.buf, win.pos + rel) is None:
        raise win.error(win.pos + rel, f"malformed INSERT INTO {q}{table}{q}: a row is not "
                        "followed by ',' or ';'" if not win.eof or win.buf[win.pos + rel:].strip()
                        else "the file ends inside an INSERT (truncated dump?)")
    return values


def statement_rows(win: Window, dialect: Dialect, table: str, width: int,
                   rows: list[tuple]) -> Iterator[None]:
    """Append the rows of one INSERT statement (tuples of raw tokens) to `rows`,
    pausing whenever it holds BATCH_ROWS so that the caller can turn them into a batch."""
    match = dialect.row_re(width).match
    buf, pos = win.buf, win.pos
    while True:
        m = match(buf, pos)
        if m is None:
            # The row crosses the buffer end or is malformed: the slow path reads on or
            # raises with the reason, then the fast regex gets another go.
            win.pos = pos
            scan_row(win, dialect, table, width)
            buf, pos = win.buf, win.pos
            m = match(buf, pos)
            if m is None:
                raise win.error(pos, f"malformed row in INSERT INTO {table}")
        rows.append(m.groups())
        pos = m.end()
        if m.lastindex != width:
            break
        if len(rows) >= BATCH_ROWS:
            win.pos = pos
            yield
            buf, pos = win.buf, win.pos
    win.pos = pos


def insert_batches(path: Path, label: str, dialect: Dialect, table: InsertTable,
                   encoding: str) -> Iterator[pa.RecordBatch]:
    """The table's rows, gathered across INSERT statements into batches of BATCH_ROWS."""
    schema = pa.schema([pa.field(c, pa.string()) for c in table.columns])
    rows: list[tuple] = []
    cols, line = table.columns, 0
    for region in table.regions:
        with Window(path, label, start=region.start, end=region.end, line=region.line) as win:
            while skip_gap(win):
                ensure(win, 65536)
                insert = dialect.insert_re.match(win.buf, win.pos)
                if not insert or dialect.unquote(insert.group(1)) != table.name:
                    skip_statement(win, dialect.body_re)
                    continue
                statement_cols = column_list(dialect, insert.group(2)) or table.columns
                if rows and statement_cols != cols:
                    yield _to_batch(rows, cols, table, schema, encoding, label, line, dialect)
                    rows = []
                if not rows:
                    line = win.line_at(win.pos)
                cols = statement_cols
                win.pos = insert.end()
                for _ in statement_rows(win, dialect, table.name, len(cols), rows):
                    yield _to_batch(rows, cols, table, schema, encoding, label, line, dialect)
                    rows.clear()
                    line = win.line_at(win.pos)
                if len(rows) >= BATCH_ROWS:     # many short statements (one row each)
                    yield _to_batch(rows, cols, table, schema, encoding, label, line, dialect)
                    rows = []
    if rows:
        yield _to_batch(rows, cols, table, schema, encoding, label, line, dialect)


def _decode_column(tokens: tuple, dialect: Dialect, binary: bool, encoding: str) -> pa.Array:
    """Raw tokens of one column to a string array."""
    values = dialect.resolve(pa.array(tokens, pa.binary()))
    if encoding == "utf-8":
        try:
            return values.cast(pa.string())
        except pa.ArrowInvalid:
            pass
    out: list[str | None] = []
    for v in values.to_pylist():
        if v is None:
            out.append(None)
            continue
        try:
            out.append(v.decode(encoding))
        except UnicodeDecodeError:
            if not binary:
                raise
            out.append("0x" + v.hex().upper())
    return pa.array(out, pa.string())


def _to_batch(rows: list[tuple], cols: list[str], table: InsertTable, schema: pa.Schema,
              encoding: str, label: str, line: int, dialect: Dialect) -> pa.RecordBatch:
    q = dialect.table_quote
    by_name = {}
    for name, tokens in zip(cols, zip(*rows)):
        try:
            by_name[name] = _decode_column(tokens, dialect, name in table.binary, encoding)
        except UnicodeDecodeError:
            raise InputError(label, f"column {q}{name}{q} of table {q}{table.name}{q} is not "
                             f"valid {encoding} text", line=line) from None
    arrays = [by_name[c] if c in by_name else pa.nulls(len(rows), pa.string())
              for c in table.columns]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
