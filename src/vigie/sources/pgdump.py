"""pg_dump plain-format files: the tables of the COPY ... FROM stdin blocks (or of the
INSERT statements of `pg_dump --inserts`), never executed.

`tables()` indexes the file in one streaming pass: CREATE TABLE columns, and for each
COPY block its column list and byte region up to the `\\.` terminator (the region's
line count is its row count, since COPY escapes newlines inside values). A dump that
ends inside a block, or before pg_dump's closing comment, fails there. `batches()`
hands a block's bytes to Arrow's multi-threaded CSV reader (tab-separated, no quoting,
`\\N` as null), then resolves COPY's backslash escapes in the few values that have one.
INSERT statements are read by sqlinsert.py with PostgreSQL's string rules.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from vigie.errors import InputError
from vigie.sources.base import Source, SourceInfo, Table
from vigie.sources.sqlinsert import (InsertTable, index_insert, insert_batches, make_dialect,
                                     pg_backslash_escape)
from vigie.sources.sqlscan import (MAX_HELD_BYTES, Window, check_statement_start,
                                   create_table_columns, ensure, indexed_source, skip_gap,
                                   skip_statement, tail)

_IDENT = rb'(?:"(?:[^"]|"")++"|[\w$]++)'
_NAME = rb"(" + _IDENT + rb"(?:\s*+\.\s*+" + _IDENT + rb")*+)"
_COPY_RE = re.compile(rb"COPY\s++" + _NAME + rb"\s*+(?:\(([^)]*+)\)\s*+)?FROM\s++stdin\s*+"
                      rb"([^;\n]*+);[^\n]*+\n", re.I)
_NOT_TEXT_FORMAT_RE = re.compile(rb"\b(?:csv|binary)\b", re.I)
_CREATE_RE = re.compile(rb"CREATE\s++(?:UNLOGGED\s++|TEMPORARY\s++|TEMP\s++)?TABLE\s++"
                        rb"(?:IF\s++NOT\s++EXISTS\s++)?" + _NAME + rb"\s*+\(", re.I)
_INSERT_RE = re.compile(rb"INSERT\s++INTO\s++" + _NAME + rb"\s*+(?:\(([^)]*+)\)\s*+)?"
                        rb"(?:OVERRIDING\s++(?:SYSTEM|USER)\s++VALUE\s++)?VALUES\s*+(?=\()", re.I)
_ENCODING_RE = re.compile(rb"SET\s+client_encoding\s*=\s*'(\w+)'", re.I)
# A statement's text up to its ';': quoted strings, quoted names and $tag$ bodies whole.
_BODY_RE = re.compile(rb"(?:[^;'\"$]++|'[^']*+'|\"[^\"]*+\"|\$(\w*+)\$(?:(?!\$\1\$).)*+\$\1\$"
                      rb"|\$(?!\w*+\$))*+", re.S)
_ENCODINGS = {"UTF8": "utf-8", "LATIN1": "latin-1", "WIN1252": "cp1252", "LATIN9": "iso8859-15",
              "SQL_ASCII": "utf-8"}
_ESCAPES = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
_ESCAPE_RE = re.compile(rb"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.S)
_CSV_BLOCK = 1 << 20


def looks_like_pgdump(head: bytes) -> bool:
    """True for the first bytes of a plain pg_dump file."""
    return bool(re.search(rb"^-- PostgreSQL database dump|^COPY \S.* FROM stdin;|^\\restrict \w"
                          rb"|^SELECT pg_catalog\.set_config\('search_path'", head, re.M))


def open_pgdump(path: Path, label: str) -> Source:
    """Open a dump; tables are indexed on the first `tables()` call."""
    return indexed_source(path, label, "pgdump", _index, _Entry.table)


def _unquote(name: bytes | str) -> str:
    """public.patients -> patients; lab.results -> lab.results; "A""b" -> A"b."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "replace")
    parts = [p[1:-1].replace('""', '"') if p[:1] == '"' else p
             for p in re.findall(r'"(?:[^"]|"")+"|[^.\s]+', name)]
    if len(parts) > 1 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(parts)


@dataclass
class _Block:
    start: int      # byte offset of the first data line
    end: int        # byte offset of the `\.` line
    line: int       # line number of the first data line
    rows: int
    columns: list[str]


@dataclass
class _Entry:
    name: str
    columns: list[str] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    inserts: InsertTable | None = None     # rows written as INSERT statements

    def table(self, path: Path, label: str, encoding: str) -> Table:
        columns = self.blocks[0].columns if self.blocks else \
            self.inserts.columns if self.inserts else self.columns
        if self.blocks and self.inserts and self.inserts.columns != columns:
            raise InputError(label, f"table {self.name} has both COPY and INSERT rows, "
                             "with different columns")
        rows = None if self.inserts else sum(b.rows for b in self.blocks)
        return Table(name=self.name, columns=list(columns), origin=label, rows=rows,
                     batches=lambda: self._batches(path, label, columns, encoding))

    def _batches(self, path: Path, label: str, columns: list[str],
                 encoding: str) -> Iterator[pa.RecordBatch]:
        yield from _copy_batches(path, label, self, columns, encoding)
        if self.inserts:
            yield from insert_batches(path, label, POSTGRES, self.inserts, encoding)


def _index(path: Path, label: str, info: SourceInfo) -> list[_Entry]:
    entries: dict[str, _Entry] = {}
    inserts: dict[str, InsertTable] = {}
    last_insert: InsertTable | None = None
    with Window(path, label) as win:
        ensure(win, 65536)
        enc = _ENCODING_RE.search(win.buf)
        info.encoding = _ENCODINGS.get(enc.group(1).decode().upper(), "utf-8") if enc else "utf-8"
        seen_header = re.search(rb"^-- PostgreSQL database dump", win.buf[:4096], re.M)
        while skip_gap(win):
            ensure(win, 65536)
            start = win.pos
            insert = _INSERT_RE.match(win.buf, start)
            if insert:
                name = _unquote(insert.group(1))
                entry = entries.setdefault(name, _Entry(name))
                if entry.inserts is None:
                    entry.inserts = inserts.setdefault(name, InsertTable(name, list(entry.columns)))
                last_insert = index_insert(win, POSTGRES, insert, inserts, last_insert)
                continue
            last_insert = None     # any other statement ends a run of one table's INSERTs
            if win.buf[start] == 0x5C:   # '\': a psql meta-command line (\restrict, \connect)
                end = win.buf.find(b"\n", start)
                win.pos = len(win.buf) if end < 0 else end + 1
                continue
            copy = _COPY_RE.match(win.buf, start)
            if copy:
                name = _unquote(copy.group(1))
                if _NOT_TEXT_FORMAT_RE.search(copy.group(3)):
                    raise win.error(start, f"COPY of table {name} is not in text format "
                                    "(only pg_dump's plain text COPY is read)")
                entry = entries.setdefault(name, _Entry(name))
                columns = ([_unquote(c.strip()) for c in copy.group(2).split(b",") if c.strip()]
                           if copy.group(2) is not None else list(entry.columns))
                win.pos = copy.end()
                block = _find_terminator(win, name, columns)
                if entry.blocks and block.columns != entry.blocks[0].columns:
                    raise InputError(label, f"two COPY blocks of table {name} list different "
                                     "columns", line=block.line - 1)
                entry.blocks.append(block)
                continue
            create = _CREATE_RE.match(win.buf, start)
            if create:
                name = _unquote(create.group(1))
                entries.setdefault(name, _Entry(name)).columns = [
                    c for c, _ in create_table_columns(win, create, _BODY_RE, _unquote)]
                continue
            check_statement_start(win)
            skip_statement(win, _BODY_RE)
    if seen_header and b"-- PostgreSQL database dump complete" not in tail(path):
        raise InputError(label, "the dump ends before pg_dump's 'dump complete' line "
                         "(truncated dump?)", line=win.line_base)
    return list(entries.values())


POSTGRES = make_dialect("postgresql", _INSERT_RE, _BODY_RE, _unquote)


def _find_terminator(win: Window, table: str, columns: list[str]) -> _Block:
    """Move past a COPY block's data and its `\\.` line; the block's region."""
    start, line = win.offset_at(win.pos), win.line_at(win.pos)
    rows = 0
    while True:
        ensure(win, 4)
        if win.buf.startswith(b"\\.", win.pos):     # the terminator line itself
            tail = win.buf[win.pos + 2:win.pos + 4]
            if tail[:1] == b"\n" or tail == b"\r\n" or (win.eof and not tail):
                end = win.offset_at(win.pos)
                win.pos += 2
                return _Block(start, end, line, rows, columns)
        found = win.buf.find(b"\n\\.", win.pos)
        if found >= 0 and (found + 3 < len(win.buf) or win.eof):
            rows += win.buf.count(b"\n", win.pos, found + 1)
            win.pos = found + 1
            continue
        # No terminator in the buffer: count the complete lines, keep the last partial one.
        last = win.buf.rfind(b"\n", win.pos)
        if last >= 0:
            rows += win.buf.count(b"\n", win.pos, last + 1)
            win.pos = last + 1
        if not win.more():
            raise win.error(len(win.buf), f"the file ends inside the COPY data of table "
                            f"{table} (truncated dump?)")


class _Slice(io.RawIOBase):
    """Bytes [start, end) of a file as a stream, for Arrow's CSV reader."""

    def __init__(self, path: Path, start: int, end: int):
        self._file = open(path, "rb")
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self._left)
        if n <= 0:
            return 0
        got = self._file.readinto(memoryview(buffer)[:n])
        self._left -= got
        return got

    def close(self) -> None:
        self._file.close()
        super().close()


def _unescape(value: str) -> str:
    return _ESCAPE_RE.sub(lambda m: pg_backslash_escape(m, _ESCAPES),
                          value.encode("utf-8")).decode("utf-8", "replace")


def _unescape_column(values: pa.Array) -> pa.Array:
    """Resolve COPY escapes; Arrow finds the values that hold a backslash."""
    marked = pc.fill_null(pc.match_substring(values, "\\"), False)
    if not pc.any(marked).as_py():
        return values
    fixed = [_unescape(v) for v in values.filter(marked).to_pylist()]
    return pc.replace_with_mask(values, marked, pa.array(fixed, pa.string()))


def _copy_batches(path: Path, label: str, entry: _Entry, columns: list[str],
                  encoding: str) -> Iterator[pa.RecordBatch]:
    schema = pa.schema([pa.field(c, pa.string()) for c in columns])
    for block in entry.blocks:
        if block.rows:
            for batch in _block_batches(path, label, entry.name, block, len(columns), encoding):
                yield pa.RecordBatch.from_arrays(
                    [_unescape_column(col) for col in batch.columns], schema=schema)


def _block_batches(path: Path, label: str, table: str, block: _Block, width: int,
                   encoding: str) -> Iterator[pa.RecordBatch]:
    """Arrow's CSV reader over one COPY block.

    Arrow needs a row to fit in one read block: on a longer row it says so, and the
    block is read again with 8x larger blocks, skipping the rows already given.
    """
    names = [f"c{i}" for i in range(width)]
    parse = pacsv.ParseOptions(delimiter="\t", quote_char=False, double_quote=False,
                               escape_char=False, newlines_in_values=False,
                               ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, null_values=["\\N"],
        strings_can_be_null=True, quoted_strings_can_be_null=False)
    block_size, given = _CSV_BLOCK, 0
    while True:
        read = pacsv.ReadOptions(column_names=names, block_size=block_size, encoding=encoding)
        stream = _Slice(path, block.start, block.end)
        seen = 0
        try:
            for batch in pacsv.open_csv(stream, read_options=read, parse_options=parse,
                                        convert_options=convert):
                skip = min(batch.num_rows, max(0, given - seen))
                seen += batch.num_rows
                if skip < batch.num_rows:
                    given += batch.num_rows - skip
                    yield batch.slice(skip) if skip else batch
            return
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            if "straddl" in str(exc) and block_size < MAX_HELD_BYTES:
                block_size *= 8
                continue
            # Arrow's message quotes the offending row: never pass it on.
            raise _diagnose(path, label, table, block, width, encoding) from None
        finally:
            stream.close()


def _diagnose(path: Path, label: str, table: str, block: _Block, width: int,
              encoding: str) -> InputError:
    """The line of a COPY block Arrow could not read, and why (error path only)."""
    with Window(path, label, start=block.start, end=block.end, line=block.line) as win:
        while True:
            ensure(win, 1)
            end = win.buf.find(b"\n", win.pos)
            if end < 0 and not win.more():
                break
            if end < 0:
                continue
            row = win.buf[win.pos:end]
            fields = row.count(b"\t") + 1
            if fields != width:
                return win.error(win.pos, f"a row of the COPY data of table {table} has "
                                 f"{fields} fields, expected {width}")
            try:
                row.decode(encoding)
            except UnicodeDecodeError:
                return win.error(win.pos, f"the COPY data of table {table} is not valid "
                                 f"{encoding} text")
            win.pos = end + 1
    return InputError(label, f"unreadable COPY data of table {table}", line=block.line)
