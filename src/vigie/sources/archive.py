"""Archives (zip, gzip, tar) and folders: every member opened as a source of its own.

Members are extracted, streaming, into a private scratch folder that the returned
source removes on close. Bomb limits (limits.py) are checked on the declared sizes
before extracting and again on the bytes actually written: total uncompressed size,
compression ratio per member (for members over 1 MiB: a tiny file may legitimately
compress 1000:1), and nesting depth. `__MACOSX/` resource forks are not data and are
skipped; directories, links and devices inside archives are skipped as well.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import zipfile
import zlib
from contextlib import contextmanager
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import IO

from vigie.errors import InputError
from vigie.sources.base import Source, SourceInfo
from vigie.sources.limits import (MAX_NESTING, max_compression_ratio,
                                  max_uncompressed_bytes)
from vigie.sources.scratch import OwningSource, Scratch

COPY_CHUNK = 1 << 20
RATIO_FLOOR = 1 << 20
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, tarfile.TarError,
            gzip.BadGzipFile, NotImplementedError, RuntimeError)


class Budget:
    """Bytes extracted so far from one top-level archive and the archives nested in it."""

    def __init__(self) -> None:
        self.used, self.limit = 0, max_uncompressed_bytes()

    def declare(self, member: str, size: int) -> None:
        """Refuse a member whose declared size would exceed what is left."""
        if self.used + size > self.limit:
            self.refuse(member)

    def spend(self, member: str, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            self.refuse(member)

    def refuse(self, member: str) -> None:
        raise InputError(member, f"archive expands beyond {self.limit} bytes (possible zip "
                         "bomb); raise VIGIE_MAX_UNCOMPRESSED_BYTES to read it")


def _check_ratio(member: str, size: int, compressed: int) -> None:
    ratio = max_compression_ratio()
    if size > RATIO_FLOOR and size > ratio * max(compressed, 1):
        raise InputError(member, f"compression ratio above {ratio}:1 (possible zip "
                         "bomb); raise VIGIE_MAX_COMPRESSION_RATIO to read it")


def _copy(src: IO[bytes] | gzip.GzipFile, target: Path, member: str, budget: Budget,
          compressed: int | None = None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "wb") as dst:
        while chunk := src.read(COPY_CHUNK):
            written += len(chunk)
            budget.spend(member, len(chunk))
            if compressed is not None:
                _check_ratio(member, written, compressed)
            dst.write(chunk)


def _member_name(name: str, index: int) -> str:
    """A safe file name for a member: its base name only (no path traversal)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return base if base not in ("", ".", "..") else f"member{index}"


def _check_depth(label: str, archive_depth: int) -> None:
    if archive_depth >= MAX_NESTING:
        raise InputError(label, f"archives nested more than {MAX_NESTING} deep")


def _combine(fmt: str, path: Path, label: str, members: list[tuple[Path, str]],
             archive_depth: int, scratch: Scratch | None,
             budget: Budget | None) -> OwningSource:
    """One source over every member; a member's error is the whole source's error."""
    from vigie.sources.dispatch import open_path
    children: list[Source] = []
    try:
        for member_path, member_label in members:
            children.append(open_path(member_path, member_label, archive_depth, budget))
    except BaseException:
        for child in children:
            child.close()
        if scratch is not None:
            scratch.cleanup()
        raise
    size = path.stat().st_size if path.is_file() else sum(
        p.stat().st_size for p, _ in members)
    info = SourceInfo(path=label, format=fmt, bytes=size)
    for child in children:
        info.members.extend(child.info.members or [child.info.path])
    if len(children) == 1:
        inner = children[0].info
        info.encoding, info.delimiter, info.header = inner.encoding, inner.delimiter, inner.header
    return OwningSource(info, lambda: chain.from_iterable(c.tables() for c in children),
                        scratch=scratch, children=children)


def zip_limits(zf: zipfile.ZipFile, label: str,
               budget: Budget | None = None) -> list[zipfile.ZipInfo]:
    """The data members of a zip, after checking their declared sizes against the limits
    (what is left of `budget` when the zip is nested in another archive)."""
    budget = budget or Budget()
    members = [i for i in zf.infolist()
               if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    declared = 0
    for info in members:
        member = f"{label}!{info.filename}"
        _check_ratio(member, info.file_size, info.compress_size)
        budget.declare(member, declared + info.file_size)
        declared += info.file_size
    return members


@contextmanager
def _extracting(scratch: Scratch, label: str, unreadable: str):
    """On any failure remove what was extracted; a library error becomes one InputError
    naming the archive (its message is dropped: it may quote member content)."""
    try:
        yield
    except InputError:
        scratch.cleanup()
        raise
    except _CORRUPT as exc:
        scratch.cleanup()
        raise InputError(label, f"{unreadable} ({type(exc).__name__})") from None


def open_zip(path: Path, label: str, *, archive_depth: int = 0,
             budget: Budget | None = None) -> OwningSource:
    _check_depth(label, archive_depth)
    scratch = Scratch()
    members: list[tuple[Path, str]] = []
    budget = budget or Budget()
    with _extracting(scratch, label, "unreadable zip archive"), zipfile.ZipFile(path) as zf:
        infos = zip_limits(zf, label, budget)
        for index, info in enumerate(infos):
            member = f"{label}!{info.filename}"
            if info.flag_bits & 0x1:
                raise InputError(member, "encrypted archive member")
            target = scratch.path(f"{index}/{_member_name(info.filename, index)}")
            try:
                with zf.open(info) as src:
                    _copy(src, target, member, budget, info.compress_size)
            except _CORRUPT as exc:
                raise InputError(member, f"corrupt or truncated member "
                                 f"({type(exc).__name__})") from None
            members.append((target, member))
    return _combine("zip", path, label, members, archive_depth + 1, scratch, budget)


def open_gzip(path: Path, label: str, *, archive_depth: int = 0,
              budget: Budget | None = None) -> OwningSource:
    _check_depth(label, archive_depth)
    name = path.name
    inner = name[:-3] if name.endswith(".gz") else name[:-4] + ".tar" if name.endswith(
        ".tgz") else name + ".out"
    member = f"{label}!{inner}"
    scratch = Scratch()
    target = scratch.path(inner)
    budget = budget or Budget()
    with _extracting(scratch, label, "corrupt or truncated gzip data"), \
            gzip.open(path, "rb") as src:
        _copy(src, target, member, budget, path.stat().st_size)
    return _combine("gzip", path, label, [(target, member)], archive_depth + 1, scratch,
                    budget)


def open_tar(path: Path, label: str, *, archive_depth: int = 0,
             budget: Budget | None = None) -> OwningSource:
    _check_depth(label, archive_depth)
    scratch = Scratch()
    members: list[tuple[Path, str]] = []
    budget = budget or Budget()
    with _extracting(scratch, label, "unreadable tar archive"), \
            tarfile.open(path, mode="r:") as tf:
        for index, info in enumerate(tf):
            if not info.isreg():
                continue
            member = f"{label}!{info.name}"
            budget.declare(member, info.size)
            target = scratch.path(f"{index}/{_member_name(info.name, index)}")
            src = tf.extractfile(info)
            if src is not None:
                _copy(src, target, member, budget)
                members.append((target, member))
    return _combine("tar", path, label, members, archive_depth + 1, scratch, budget)


def open_folder(path: Path, label: str, *, archive_depth: int = 0,
                budget: Budget | None = None) -> OwningSource:
    """Every regular file below `path`, recursively, in sorted order (links not followed)."""
    members = []
    for root, dirs, files in os.walk(path, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            file = Path(root, name)
            if file.is_file() and not file.is_symlink():
                members.append((file, f"{label.rstrip('/')}/{file.relative_to(path).as_posix()}"))
    if not members:
        raise InputError(label, "folder holds no file")
    return _combine("folder", path, label, members, archive_depth, None, budget)
