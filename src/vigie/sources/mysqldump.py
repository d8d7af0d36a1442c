"""mysqldump / mariadb-dump files: tables and rows of the INSERT statements, never executed.

Two passes, both streaming over bytes. `tables()` first indexes the file: each CREATE
TABLE's columns and the byte regions holding each table's INSERTs (a fast skip that only
lexes quotes); a truncated or malformed statement fails here, before any row is
produced. `batches()` then parses only that table's regions, one row per regex match:
the row regex is built for the row width, so a whole tuple is recognised in C and
Python touches each row once, and values are decoded column-wise with Arrow compute.
No library parses MySQL dumps without running them through a server, hence this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from vigie.errors import InputError
from vigie.sources.base import BATCH_ROWS, Source, SourceInfo, Table
from vigie.sources.sqlscan import (Window, column_definitions, ensure, read_statement,
                                   skip_gap, skip_statement)

_IDENT = rb'(?:`(?:[^`]|``)++`|"(?:[^"]|"")++"|[\w$]++)'
_NAME = rb"(" + _IDENT + rb"(?:\s*+\.\s*+" + _IDENT + rb")?)"
_INSERT_RE = re.compile(
    rb"(?:INSERT|REPLACE)(?:\s++(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*+\s++"
    rb"(?:INTO\s++)?" + _NAME + rb"\s*+(?:\(([^)]*+)\)\s*+)?VALUES?\s*+(?=\()", re.I)
_CREATE_RE = re.compile(
    rb"CREATE\s++(?:OR\s++REPLACE\s++)?(?:TEMPORARY\s++)?TABLE\s++(?:IF\s++NOT\s++EXISTS\s++)?"
    + _NAME + rb"\s*+\(", re.I)
_NAMES_RE = re.compile(rb"SET\s+NAMES\s+'?(\w+)", re.I)
# Quoted strings in the "unrolled loop" form (runs of plain bytes eaten whole, one
# alternation per escape), about 1.5x faster than a per-character alternation.
_STRING = rb"'[^'\\]*+(?:(?:\\.|'')[^'\\]*+)*+'"
# One statement's text up to its ';' (quoted strings and names whole).
_BODY_RE = re.compile(rb"[^;'\"`]*+(?:(?:" + _STRING + rb"|\"[^\"\\]*+(?:\\.[^\"\\]*+)*+\""
                      rb"|`[^`]*+`)[^;'\"`]*+)*+", re.S)
# One value: a string (with an optional charset introducer such as _binary) or a bare
# token (number, NULL, 0x hex; b'..' / x'..' literals are a letter and a string).
_VALUE = rb"((?:_\w++\s*+)?(?:" + _STRING + rb"|[bBxX]" + _STRING + rb"|[^,()'\s]++))"
_VALUE_RE = re.compile(rb"\s*+" + _VALUE + rb"\s*+([,)])", re.S)
_BINARY_TYPES = ("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
                 "geometry", "point", "linestring", "polygon")
_ENCODINGS = {"utf8": "utf-8", "utf8mb3": "utf-8", "utf8mb4": "utf-8", "latin1": "cp1252",
              "ascii": "ascii", "cp1252": "cp1252"}


def looks_like_mysqldump(head: bytes) -> bool:
    """True for the first bytes of a MySQL/MariaDB dump (or plain SQL INSERT file)."""
    if re.search(rb"^-- (?:MySQL|MariaDB) dump", head, re.M):
        return True
    if re.search(rb"^-- PostgreSQL database dump|^COPY .* FROM stdin;", head, re.M):
        return False
    return bool(re.search(rb"^\s*(?:INSERT\s+INTO|CREATE\s+TABLE|LOCK\s+TABLES)\s+`", head,
                          re.M | re.I)
                or re.search(rb"^\s*INSERT\s+INTO\s+[\w.\"]+\s*(?:\([^)]*\)\s*)?VALUES\s*\(",
                             head, re.M | re.I))


def open_mysqldump(path: Path, label: str) -> Source:
    """Open a dump; tables are indexed on the first `tables()` call."""
    path = Path(path)
    info = SourceInfo(path=label, format="mysqldump", bytes=path.stat().st_size)
    index: list[_Entry] = []

    def tables() -> Iterator[Table]:
        if not index:
            index.extend(_index(path, label, info))
        for entry in index:
            yield entry.table(path, label, info.encoding or "utf-8")

    return Source(info, tables)


def _unquote(ident: bytes | str) -> str:
    """`a``b` -> a`b; db.tbl -> tbl (the database part of a name is dropped)."""
    if isinstance(ident, bytes):
        ident = ident.decode("utf-8", "replace")
    parts = re.findall(r'`(?:[^`]|``)+`|"(?:[^"]|"")+"|[^.\s]+', ident)
    last = parts[-1] if parts else ident
    if last[:1] == "`":
        return last[1:-1].replace("``", "`")
    if last[:1] == '"':
        return last[1:-1].replace('""', '"')
    return last


def _column_list(raw: bytes | None) -> list[str] | None:
    if raw is None:
        return None
    return [_unquote(c.strip()) for c in raw.decode("utf-8", "replace").split(",") if c.strip()]


@dataclass
class _Region:
    start: int      # byte offset of the first INSERT of a run of one table's INSERTs
    end: int        # byte offset just after the last one
    line: int


@dataclass
class _Entry:
    name: str
    columns: list[str] = field(default_factory=list)
    binary: set[str] = field(default_factory=set)
    regions: list[_Region] = field(default_factory=list)

    def table(self, path: Path, label: str, encoding: str) -> Table:
        return Table(name=self.name, columns=list(self.columns), origin=label,
                     batches=lambda: _batches(path, label, self, encoding))


def _index(path: Path, label: str, info: SourceInfo) -> list[_Entry]:
    """One fast pass: table columns and the regions of their INSERTs."""
    entries: dict[str, _Entry] = {}
    last_insert: _Entry | None = None
    with Window(path, label) as win:
        ensure(win, 65536)
        names = _NAMES_RE.search(win.buf)
        info.encoding = _ENCODINGS.get(names.group(1).decode().lower(), "utf-8") if names \
            else "utf-8"
        seen_header = re.search(rb"^-- (?:MySQL|MariaDB) dump", win.buf[:4096], re.M)
        while skip_gap(win):
            ensure(win, 65536)
            start = win.pos
            insert = _INSERT_RE.match(win.buf, start)
            if insert:
                line, offset = win.line_at(start), win.offset_at(start)
                entry = entries.setdefault(_unquote(insert.group(1)), _Entry(_unquote(insert.group(1))))
                cols = _column_list(insert.group(2))
                if cols:
                    entry.columns.extend(c for c in cols if c not in entry.columns)
                elif not entry.columns:
                    win.pos = insert.end()   # no CREATE TABLE, no column list: count
                    width = len(_scan_row(win, entry.name, None))
                    entry.columns = [f"column_{i}" for i in range(width)]
                win.pos = insert.end()
                skip_statement(win, _BODY_RE)
                if last_insert is entry:
                    entry.regions[-1].end = win.offset_at(win.pos)
                else:
                    entry.regions.append(_Region(offset, win.offset_at(win.pos), line))
                last_insert = entry
                continue
            create = _CREATE_RE.match(win.buf, start)
            if create:
                name = _unquote(create.group(1))
                text = read_statement(win, _BODY_RE)
                body = text[create.end() - start:text.rindex(b")")].decode("utf-8", "replace")
                entry = entries.setdefault(name, _Entry(name))
                defs = column_definitions(body, _unquote)
                entry.columns = [c for c, _ in defs]
                entry.binary = {c for c, t in defs if t.split("(")[0] in _BINARY_TYPES}
                last_insert = None
                continue
            if win.buf.startswith((b"LOCK", b"UNLOCK", b";"), start):
                skip_statement(win, _BODY_RE)   # around INSERTs: keep the region going
                continue
            skip_statement(win, _BODY_RE)
            last_insert = None
        if seen_header and b"-- Dump completed" not in _tail(path):
            raise InputError(label, "the dump ends before its 'Dump completed' line "
                             "(truncated dump?)", line=win.line_at(len(win.buf)))
    return list(entries.values())


def _tail(path: Path, nbytes: int = 4096) -> bytes:
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - nbytes))
        return f.read()


def _scan_row(win: Window, table: str, expected: int | None) -> list[bytes]:
    """Slow path: parse the row at `pos` value by value, fetching more input as needed.

    Used for the first row of a table of unknown width, when a row crosses the buffer
    end, and to say precisely what is wrong when the fast row regex does not match.
    Leaves `pos` where it was (the caller re-reads the row with its fast regex).
    """
    ensure(win, 1)
    opening = re.compile(rb"\s*+\(").match(win.buf, win.pos)
    if not opening:
        raise win.error(win.pos, f"malformed INSERT INTO `{table}`: a row does not start "
                        "with '('")
    rel = opening.end() - win.pos
    values = []
    while True:
        m = _VALUE_RE.match(win.buf, win.pos + rel)
        if m is None:
            if win.more():
                continue
            rest = win.buf[win.pos + rel:]
            truncated = re.fullmatch(
                rb"\s*+(?:_\w*+\s*+)?(?:'(?:[^'\\]++|\\.|'')*+\\?|[^,()'\s]*+)", rest, re.S)
            raise win.error(win.pos + rel, "the file ends inside a row (truncated dump?)"
                            if truncated else f"malformed value in INSERT INTO `{table}`")
        values.append(m.group(1))
        rel = m.end() - win.pos
        if m.group(2) == b")":
            break
    if expected is not None and len(values) != expected:
        raise win.error(win.pos, f"a row of INSERT INTO `{table}` has {len(values)} values, "
                        f"expected {expected}")
    ensure(win, rel + 2)
    if re.compile(rb"\s*+[,;]").match(win.buf, win.pos + rel) is None:
        raise win.error(win.pos + rel, f"malformed INSERT INTO `{table}`: a row is not "
                        "followed by ',' or ';'" if not win.eof or win.buf[win.pos + rel:].strip()
                        else "the file ends inside an INSERT (truncated dump?)")
    return values


@lru_cache(maxsize=64)
def _row_re(width: int) -> re.Pattern:
    """A regex matching one whole row of `width` values and its ',' or ';'.

    The `;` branch carries an empty group so that `m.lastindex` tells the last row.
    """
    return re.compile(rb"\(\s*+" + rb"\s*+,\s*+".join([_VALUE] * width)
                      + rb"\s*+\)\s*+(?:,|;())\s*+", re.S)


def _batches(path: Path, label: str, entry: _Entry, encoding: str) -> Iterator[pa.RecordBatch]:
    """The table's rows, gathered across INSERT statements into batches of BATCH_ROWS."""
    schema = pa.schema([pa.field(c, pa.string()) for c in entry.columns])
    rows: list[tuple] = []
    cols, line = entry.columns, 0
    for region in entry.regions:
        with Window(path, label, start=region.start, end=region.end, line=region.line) as win:
            while skip_gap(win):
                ensure(win, 65536)
                insert = _INSERT_RE.match(win.buf, win.pos)
                if not insert or _unquote(insert.group(1)) != entry.name:
                    skip_statement(win, _BODY_RE)
                    continue
                statement_cols = _column_list(insert.group(2)) or entry.columns
                if rows and statement_cols != cols:
                    yield _to_batch(rows, cols, entry, schema, encoding, label, line)
                    rows = []
                if not rows:
                    line = win.line_at(win.pos)
                cols = statement_cols
                win.pos = insert.end()
                for _ in _statement_rows(win, entry.name, len(cols), rows):
                    yield _to_batch(rows, cols, entry, schema, encoding, label, line)
                    rows.clear()
                    line = win.line_at(win.pos)
    if rows:
        yield _to_batch(rows, cols, entry, schema, encoding, label, line)


def _statement_rows(win: Window, table: str, width: int, rows: list[tuple]) -> Iterator[None]:
    """Append the rows of one INSERT statement (tuples of raw tokens) to `rows`,
    pausing whenever it holds BATCH_ROWS so that the caller can turn them into a batch."""
    match = _row_re(width).match
    buf, pos = win.buf, win.pos
    while True:
        m = match(buf, pos)
        if m is None:
            # The row crosses the buffer end or is malformed: the slow path reads on or
            # raises with the reason, then the fast regex gets another go.
            win.pos = pos
            _scan_row(win, table, width)
            buf, pos = win.buf, win.pos
            m = match(buf, pos)
            if m is None:
                raise win.error(pos, f"malformed row in INSERT INTO `{table}`")
        rows.append(m.groups())
        pos = m.end()
        if m.lastindex != width:
            break
        if len(rows) >= BATCH_ROWS:
            win.pos = pos
            yield
            buf, pos = win.buf, win.pos
    win.pos = pos


_NULL = pa.scalar(b"NULL", pa.binary())
_ESCAPES = {b"0": b"\0", b"b": b"\b", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"Z": b"\x1a"}
_ESCAPE_RE = re.compile(rb"\\(.)|''", re.S)


def _unescape(token: bytes) -> bytes:
    """A raw value token to its bytes: introducer and quotes dropped, escapes resolved."""
    if token[:1] == b"_":
        token = re.sub(rb"^_\w+\s*", b"", token)
    if token[:1] in b"bBxX" and token[1:2] == b"'":
        return token  # bit / hex literal: kept as written
    if token[:1] == b"'":
        token = token[1:-1]
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)) if m.group(1)
                          else b"'", token)


# Escapes resolved by plain substring replacement, valid when a value holds no `\\\\`
# and no `''` (then every backslash starts a two-byte escape and no output makes a new one).
_SIMPLE_ESCAPES = [("\\'", "'"), ('\\"', '"'), ("\\n", "\n"), ("\\r", "\r"), ("\\t", "\t"),
                   ("\\0", "\0"), ("\\Z", "\x1a"), ("\\b", "\b")]


def _resolve_escapes(raw: pa.Array, values: pa.Array, special: pa.Array) -> pa.Array:
    """Escapes of the `special` values: Arrow substring replacement for the plain
    ones (French text is full of \\' ), the regex for the few others."""
    simple = pc.and_(special, pc.invert(pc.or_(
        pc.or_(pc.match_substring(values, "\\\\"), pc.match_substring(values, "''")),
        pc.starts_with(raw, "_"))))
    if pc.any(simple).as_py():
        done = values.filter(simple)
        for escape, char in _SIMPLE_ESCAPES:
            done = pc.replace_substring(done, escape, char)
        values = pc.replace_with_mask(values, simple, done)
        # A backslash left means an escape outside the list (\\x -> x): regex path.
        leftover = pc.and_(simple, pc.match_substring(values, "\\"))
        special = pc.or_(pc.and_(special, pc.invert(simple)), leftover)
    if pc.any(special).as_py():
        fixed = [_unescape(t) for t in raw.filter(special).to_pylist()]
        values = pc.replace_with_mask(values, special, pa.array(fixed, pa.binary()))
    return values


def _decode_column(tokens: tuple, binary: bool, encoding: str) -> pa.Array:
    """Raw tokens of one column to a string array, vectorised; Python only for odd escapes."""
    raw = pa.array(tokens, pa.binary())
    quoted = pc.starts_with(raw, "'")
    values = pc.if_else(quoted, pc.binary_slice(raw, 1, -1), raw)
    special = pc.or_(pc.or_(pc.match_substring(values, "\\"), pc.match_substring(values, "''")),
                     pc.starts_with(raw, "_"))
    if pc.any(special).as_py():
        values = _resolve_escapes(raw, values, special)
    values = pc.if_else(pc.equal(raw, _NULL), pa.scalar(None, pa.binary()), values)
    if encoding == "utf-8":
        try:
            return values.cast(pa.string())
        except pa.ArrowInvalid:
            pass
    out = []
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


def _to_batch(rows: list[tuple], cols: list[str], entry: _Entry, schema: pa.Schema,
              encoding: str, label: str, line: int) -> pa.RecordBatch:
    by_name = {}
    for name, tokens in zip(cols, zip(*rows)):
        try:
            by_name[name] = _decode_column(tokens, name in entry.binary, encoding)
        except UnicodeDecodeError:
            raise InputError(label, f"column `{name}` of table `{entry.name}` is not valid "
                             f"{encoding} text", line=line) from None
    arrays = [by_name.get(c) if c in by_name else pa.nulls(len(rows), pa.string())
              for c in entry.columns]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
