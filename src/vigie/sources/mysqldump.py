"""mysqldump / mariadb-dump files: tables and rows of the INSERT statements, never executed.

Two passes, both streaming over bytes. `tables()` first indexes the file: each CREATE
TABLE's columns and the byte regions holding each table's INSERTs (a fast skip that only
lexes quotes); a truncated or malformed statement fails here, before any row is
produced. `batches()` then parses only that table's regions (see sqlinsert.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from vigie.errors import InputError
from vigie.sources.base import Source, SourceInfo, Table
from vigie.sources.pgdump import looks_like_pgdump
from vigie.sources.sqlinsert import InsertTable, index_insert, insert_batches, make_dialect
from vigie.sources.sqlscan import (Window, check_statement_start, create_table_columns, ensure,
                                   indexed_source, skip_gap, skip_statement, tail)

_IDENT = rb'(?:`(?:[^`]|``)++`|"(?:[^"]|"")++"|[\w$]++)'
_NAME = rb"(" + _IDENT + rb"(?:\s*+\.\s*+" + _IDENT + rb")?)"
_INSERT_RE = re.compile(
    rb"(?:INSERT|REPLACE)(?:\s++(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*+\s++"
    rb"(?:INTO\s++)?" + _NAME + rb"\s*+(?:\(([^)]*+)\)\s*+)?VALUES?\s*+(?=\()", re.I)
_CREATE_RE = re.compile(
    rb"CREATE\s++(?:OR\s++REPLACE\s++)?(?:TEMPORARY\s++)?TABLE\s++(?:IF\s++NOT\s++EXISTS\s++)?"
    + _NAME + rb"\s*+\(", re.I)
_NAMES_RE = re.compile(rb"SET\s+NAMES\s+'?(\w+)", re.I)
# One statement's text up to its ';' (quoted strings and names whole).
_STRING = rb"'[^'\\]*+(?:(?:\\.|'')[^'\\]*+)*+'"
_BODY_RE = re.compile(rb"[^;'\"`]*+(?:(?:" + _STRING + rb"|\"[^\"\\]*+(?:\\.[^\"\\]*+)*+\""
                      rb"|`[^`]*+`)[^;'\"`]*+)*+", re.S)
_BINARY_TYPES = ("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
                 "geometry", "point", "linestring", "polygon")
_ENCODINGS = {"utf8": "utf-8", "utf8mb3": "utf-8", "utf8mb4": "utf-8", "latin1": "cp1252",
              "ascii": "ascii", "cp1252": "cp1252"}


def looks_like_mysqldump(head: bytes) -> bool:
    """True for the first bytes of a MySQL/MariaDB dump (or plain SQL INSERT file)."""
    if re.search(rb"^-- (?:MySQL|MariaDB) dump", head, re.M):
        return True
    if looks_like_pgdump(head):
        return False
    return bool(re.search(rb"^\s*(?:INSERT\s+INTO|CREATE\s+TABLE|LOCK\s+TABLES)\s+`", head,
                          re.M | re.I)
                or re.search(rb"^\s*INSERT\s+INTO\s+[\w.\"]+\s*(?:\([^)]*\)\s*)?VALUES\s*\(",
                             head, re.M | re.I))


def open_mysqldump(path: Path, label: str) -> Source:
    """Open a dump; tables are indexed on the first `tables()` call."""
    return indexed_source(path, label, "mysqldump", _index, _table)


def _table(entry: InsertTable, path: Path, label: str, encoding: str) -> Table:
    return Table(name=entry.name, columns=list(entry.columns), origin=label,
                 batches=lambda: insert_batches(path, label, MYSQL, entry, encoding))


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


MYSQL = make_dialect("mysql", _INSERT_RE, _BODY_RE, _unquote)


def _index(path: Path, label: str, info: SourceInfo) -> list[InsertTable]:
    """One fast pass: table columns and the regions of their INSERTs."""
    entries: dict[str, InsertTable] = {}
    last_insert: InsertTable | None = None
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
                last_insert = index_insert(win, MYSQL, insert, entries, last_insert)
                continue
            create = _CREATE_RE.match(win.buf, start)
            if create:
                name = _unquote(create.group(1))
                entry = entries.setdefault(name, InsertTable(name))
                defs = create_table_columns(win, create, _BODY_RE, _unquote)
                entry.columns = [c for c, _ in defs]
                entry.binary = {c for c, t in defs if t.split("(")[0] in _BINARY_TYPES}
                last_insert = None
                continue
            if win.buf.startswith((b"LOCK", b"UNLOCK", b";"), start):
                skip_statement(win, _BODY_RE)   # around INSERTs: keep the region going
                continue
            check_statement_start(win)
            skip_statement(win, _BODY_RE)
            last_insert = None
        if seen_header and b"-- Dump completed" not in tail(path):
            raise InputError(label, "the dump ends before its 'Dump completed' line "
                             "(truncated dump?)", line=win.line_base)
    return list(entries.values())
