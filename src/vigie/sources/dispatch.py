"""Pick the reader for a path or URL: scheme, then folder, then magic bytes, then content.

Extensions are not trusted (leaks are renamed): a zip is a zip whatever it is called.
Every reader has the signature `open_<fmt>(path, label) -> Source`, `label` being the
name used in errors and as each table's `origin` ("leak.zip!export/patients.csv").
"""

from __future__ import annotations

import re
from pathlib import Path

from vigie.errors import InputError
from vigie.sources.base import Source

HEAD_BYTES = 64 * 1024
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_UNSUPPORTED = [
    (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"), (b"%PDF", "PDF"), (b"\x28\xb5\x2f\xfd", "zstd"),
]


def open_source(path_or_url: str) -> Source:
    """Open a file, folder, archive or database URL as a `Source` of named tables."""
    if _URL.match(path_or_url):
        from vigie.sources.database import open_database
        return open_database(path_or_url)
    path = Path(path_or_url)
    if not path.exists():
        raise InputError(path_or_url, "no such file or folder")
    return open_path(path, path_or_url, archive_depth=0)


def open_path(path: Path, label: str, archive_depth: int, budget=None) -> Source:
    """Open one local path; `archive_depth` counts the archives it was extracted from and
    `budget` (an archive.Budget) is their shared allowance of extracted bytes."""
    from vigie.sources import archive
    if path.is_dir():
        return archive.open_folder(path, label, archive_depth=archive_depth, budget=budget)
    if not path.is_file():
        raise InputError(label, "not a regular file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(label, f"cannot read ({exc.strerror or type(exc).__name__})") from None
    kind = sniff_format(head, path, label)
    if kind in ("zip", "gzip", "tar"):
        opener = {"zip": archive.open_zip, "gzip": archive.open_gzip, "tar": archive.open_tar}
        return opener[kind](path, label, archive_depth=archive_depth, budget=budget)
    return _READERS[kind]()(path, label)


def sniff_format(head: bytes, path: Path, label: str) -> str:
    """The reader to use, from the first bytes of the file."""
    if not head:
        raise InputError(label, "empty file", offset=0)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        from vigie.sources.excel import is_workbook_zip
        return "excel" if is_workbook_zip(path) else "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "excel"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    for magic, name in _UNSUPPORTED:
        if head.startswith(magic):
            raise InputError(label, f"{name} files are not supported", offset=0)
    dump = _sql_dump_kind(head)
    if dump:
        return dump
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def _sql_dump_kind(head: bytes) -> str | None:
    """mysqldump / pg_dump plain text, recognised by helper D's readers when present."""
    try:
        from vigie.sources.mysqldump import looks_like_mysqldump
        from vigie.sources.pgdump import looks_like_pgdump
    except ImportError:
        return None
    if looks_like_mysqldump(head):
        return "mysqldump"
    if looks_like_pgdump(head):
        return "pgdump"
    return None


def _reader(module: str, function: str):
    def load():
        import importlib
        return getattr(importlib.import_module(f"vigie.sources.{module}"), function)
    return load


# One line per file format: format -> (lazy) open_<fmt>(path, label).
_READERS = {
    "csv": _reader("csv", "open_csv"),
    "json": _reader("json", "open_json"),
    "excel": _reader("excel", "open_excel"),
    "parquet": _reader("parquet", "open_parquet"),
    "sqlite": _reader("sqlite", "open_sqlite"),
    "mysqldump": _reader("mysqldump", "open_mysqldump"),
    "pgdump": _reader("pgdump", "open_pgdump"),
}
