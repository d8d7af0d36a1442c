"""Shared machinery of the SQL-dump readers: a sliding byte window over a file, CREATE
TABLE column lists, and the Source shell of a dump indexed on first use.

Dumps are scanned as bytes, never decoded whole and never executed: the quote and
statement characters are ASCII, which never occur inside a UTF-8 multi-byte sequence,
so byte regexes see the same structure as text regexes and give byte offsets for free.
The window keeps memory bounded by the longest single statement piece the parser has
to hold at once (a row, a quoted value), never by the file size.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from vigie.errors import InputError
from vigie.sources.base import Source, SourceInfo, Table

Entry = TypeVar("Entry")

CHUNK_BYTES = 4 << 20
# The longest single token (one row of an INSERT, one quoted string) held in memory.
MAX_HELD_BYTES = 256 << 20


class Window:
    """A file read in growing chunks: `buf[pos:]` is what is left to parse.

    `more()` drops the parsed prefix and appends the next chunk (doubling the read
    when one token outgrows the buffer, so a huge value costs O(n log n), not O(n²)).
    `line_at(i)` and `offset_at(i)` locate a buffer index in the file for errors.
    """

    def __init__(self, path: Path, label: str, *, start: int = 0, end: int | None = None,
                 line: int = 1):
        self.path = path
        self.label = label
        self._file = open(path, "rb")
        self._file.seek(start)
        self._end = end
        self.base = start          # file offset of buf[0]
        self.line_base = line      # line number of buf[0]
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.keep_from: int | None = None   # a statement start to keep across more()
        self._counted = (0, line)           # (buffer index, its line number) last computed

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "Window":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def more(self) -> bool:
        """Append the next chunk; False at the end of the file (or of the region)."""
        cut = self.pos if self.keep_from is None else min(self.pos, self.keep_from)
        if cut:
            self.line_base = self.line_at(cut)
            self._counted = (0, self.line_base)
            self.base += cut
            self.buf = self.buf[cut:]
            self.pos -= cut
            if self.keep_from is not None:
                self.keep_from -= cut
        if len(self.buf) > MAX_HELD_BYTES:
            raise InputError(self.label, "a single row or value is longer than "
                             f"{MAX_HELD_BYTES >> 20} MB", line=self.line_base)
        want = max(CHUNK_BYTES, len(self.buf))
        if self._end is not None:
            want = min(want, self._end - self.base - len(self.buf))
        data = self._file.read(want) if want > 0 else b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def line_at(self, index: int) -> int:
        """Line number of buf[index]; counts on from the last asked index, so asking at
        every statement of a dump stays linear."""
        start, line = self._counted
        if index < start:
            start, line = 0, self.line_base
        line += self.buf.count(b"\n", start, index)
        self._counted = (index, line)
        return line

    def offset_at(self, index: int) -> int:
        return self.base + index

    def error(self, index: int, message: str) -> InputError:
        return InputError(self.label, message, line=self.line_at(index))


# Statement starts may be preceded by blanks and comments; the MariaDB sandbox line
# (`/*M!999999\- enable the sandbox mode */`) and version comments are comments too.
GAP_RE = re.compile(rb"(?:\s++|--[^\n]*+\n|#[^\n]*+\n|/\*(?:[^*]|\*(?!/))*+\*/)*+")


def skip_gap(win: Window) -> bool:
    """Move past blanks and comments; False when the input ends there."""
    while True:
        gap = GAP_RE.match(win.buf, win.pos)
        assert gap is not None, "GAP_RE matches the empty string"
        win.pos = gap.end()
        at_end = win.pos >= len(win.buf)
        # A comment cut by the chunk boundary stops the match at its start.
        cut_comment = not at_end and win.buf.startswith((b"/*", b"--", b"#"), win.pos)
        if not at_end and not cut_comment:
            return True
        if not win.more():
            if at_end:
                return False
            if win.buf.startswith(b"/*", win.pos):
                raise win.error(win.pos, "file ends inside a comment (truncated dump?)")
            win.pos = len(win.buf)  # a last line comment without its newline
            return False


def skip_statement(win: Window, body_re: re.Pattern) -> None:
    """Move past one statement up to and including its `;`.

    `body_re` matches as much statement text as it can (quoted strings whole); it stops
    at the `;`, at a quote that does not close inside the buffer, or at the buffer end.
    """
    while True:
        m = body_re.match(win.buf, win.pos)
        assert m is not None, "a statement body pattern matches the empty string"
        win.pos = m.end()
        if win.pos < len(win.buf) and win.buf[win.pos] == 0x3B:  # ';'
            win.pos += 1
            return
        if not win.more():
            raise win.error(len(win.buf), "file ends inside a statement (truncated dump?)")


def read_statement(win: Window, body_re: re.Pattern) -> bytes:
    """The text of the statement starting at `pos`, up to its `;` (for short DDL)."""
    win.keep_from = win.pos
    try:
        skip_statement(win, body_re)
        return win.buf[win.keep_from:win.pos]
    finally:
        win.keep_from = None


def ensure(win: Window, nbytes: int) -> None:
    """Read until `nbytes` are buffered after `pos` (or the input ends)."""
    while len(win.buf) - win.pos < nbytes and win.more():
        pass


def split_top_level(body: str) -> list[str]:
    """Split a CREATE TABLE body on commas outside parentheses and quotes."""
    parts, depth, start, quote, i = [], 0, 0, "", 0
    while i < len(body):
        ch = body[i]
        if quote:
            if ch == "\\" and quote == "'":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return [p.strip() for p in parts if p.strip()]


_CONSTRAINT_WORDS = ("PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN", "CHECK",
                     "FULLTEXT", "SPATIAL", "EXCLUDE", "PERIOD", "LIKE")


def column_definitions(body: str, unquote) -> list[tuple[str, str]]:
    """(name, declared type) of each column of a CREATE TABLE body, constraints left out."""
    columns = []
    for part in split_top_level(body):
        first = part.split(None, 1)[0].upper() if part[0] not in "`\"" else ""
        if first in _CONSTRAINT_WORDS:
            continue
        m = re.match(r'(`(?:[^`]|``)+`|"(?:[^"]|"")+"|[^\s(]+)\s*(.*)', part, re.S)
        if m:
            columns.append((unquote(m.group(1)), m.group(2).split(None, 1)[0].lower()
                            if m.group(2) else ""))
    return columns


def create_table_columns(win: Window, create: re.Match, body_re: re.Pattern,
                         unquote) -> list[tuple[str, str]]:
    """(name, declared type) of the columns of the CREATE TABLE at `pos`, whose header
    `create` matched up to its '('; moves past the statement."""
    start = win.pos
    text = read_statement(win, body_re)
    body = text[create.end() - start:text.rindex(b")")].decode("utf-8", "replace")
    return column_definitions(body, unquote)


def indexed_source(path: Path, label: str, format: str,
                   index: Callable[[Path, str, SourceInfo], list[Entry]],
                   table: Callable[[Entry, Path, str, str], Table]) -> Source:
    """A dump as a Source: the first `tables()` call runs the reader's one indexing pass
    (which also sets `info.encoding`); every call then makes a Table of each entry."""
    path = Path(path)
    info = SourceInfo(path=label, format=format, bytes=path.stat().st_size)
    entries: list[Entry] | None = None

    def tables() -> Iterator[Table]:
        nonlocal entries
        if entries is None:
            entries = index(path, label, info)
        for entry in entries:
            yield table(entry, path, label, info.encoding or "utf-8")

    return Source(info, tables)


def tail(path: Path, nbytes: int = 4096) -> bytes:
    """The last bytes of a file (where dump tools write their completion comment)."""
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - nbytes))
        return f.read()


# A statement starts with a keyword (or is empty); anything else is damage or garbage,
# refused rather than skipped, since skipping could silently drop a table's rows.
_STATEMENT_START_RE = re.compile(rb"[A-Za-z]++(?=[\s(;])|;")
_INSERT_WORD_RE = re.compile(rb"(?:INSERT|REPLACE)\b", re.I)


def check_statement_start(win: Window) -> None:
    """Refuse what a reader would otherwise skip: garbage, and INSERTs it cannot parse."""
    if _STATEMENT_START_RE.match(win.buf, win.pos) is None:
        raise win.error(win.pos, "not an SQL statement (a damaged dump, or not a dump)")
    if _INSERT_WORD_RE.match(win.buf, win.pos):
        raise win.error(win.pos, "an INSERT statement of a form Vigie does not read "
                        "(INSERT ... SELECT or SET, or a column list over 64 KB)")
