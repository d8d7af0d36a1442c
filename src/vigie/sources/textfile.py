"""Make a text file readable by DuckDB: detect its encoding, bound its line length,
transcode it to UTF-8 when DuckDB cannot read it natively.

DuckDB (without its downloadable `encodings` extension, unavailable offline) reads only
UTF-8 and strict ISO-8859-1; it rejects Windows-1252 bytes 0x80-0x9F (€, œ, ’, –), which
French exports are full of. So: UTF-8 and clean Latin-1 are read in place; anything else
(cp1252, UTF-16, other code pages) is transcoded once, streaming, to a UTF-8 scratch copy
(a big cp1252 file in two halves on two cores: 634 MB took 4 s on one).

DuckDB's `max_line_size` does not bound memory on a long line full of delimiters
(measured: 1.5 GB RSS on a 64 MB line), so one cheap pass over the bytes refuses any
physical line longer than `limits.max_line_bytes()` before DuckDB sees the file.
"""

from __future__ import annotations

import codecs
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from charset_normalizer import from_bytes

from vigie.errors import InputError
from vigie.sources.limits import max_line_bytes
from vigie.sources.scratch import Scratch

HEAD_BYTES = 1 << 20
CHUNK_BYTES = 1 << 22
# cp1252 files at least this big are transcoded in two halves, one in a worker process.
PARALLEL_MIN_BYTES = 64 << 20
_NOT_C1 = bytes(b for b in range(0x100) if not 0x80 <= b < 0xA0)
_TYPOGRAPHY = set("€‚„…†‡‰‹›‘’“”•–—˜™°«»·§©®±²³µ¶¹¼½¾¿¡×÷¨´¸ªº¬¯\xa0")


def _c1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the five bytes cp1252 leaves undefined as their Latin-1 code points."""
    if not isinstance(error, UnicodeDecodeError):   # registered for decoding only
        raise error
    bad = error.object[error.start:error.end]
    return bad.decode("latin-1"), error.end


codecs.register_error("vigie-latin1-fallback", _c1_fallback)

_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_C1_UTF8_MAP = {bytes([0xC2, b]): bytes([b]).decode("cp1252", errors="vigie-latin1-fallback")
                .encode("utf-8") for b in range(0x80, 0xA0)}


def _c1_utf8_fix(match: re.Match) -> bytes:
    return _C1_UTF8_MAP[match.group(0)]


@dataclass
class TextFile:
    """A text file ready for DuckDB: `path` holds UTF-8 (or clean Latin-1) text."""

    path: Path
    encoding: str          # encoding of the original file, as reported
    duckdb_encoding: str   # "utf-8" or "latin-1"
    head: str              # decoded start of the file, for dialect sniffing
    complete: bool         # `head` holds the whole file
    size: int


class LineGuard:
    """Fed consecutive chunks; raises when a physical line exceeds the limit."""

    def __init__(self, label: str, limit: int):
        self.label, self.limit = label, limit
        self.line = 1
        self.current = 0   # bytes in the line being read

    def feed(self, chunk: bytes) -> None:
        last = chunk.rfind(b"\n")
        if last < 0:
            self.current += len(chunk)
        else:
            first = chunk.find(b"\n")
            self._check(self.current + first)
            if last > first and last - first > self.limit:
                self._check_inside(chunk, first, last)
            self.line += chunk.count(b"\n")
            self.current = len(chunk) - last - 1
        self._check(self.current, at_line=self.line)

    def _check_inside(self, chunk: bytes, first: int, last: int) -> None:
        line, start = self.line + 1, first + 1
        while start <= last:
            end = chunk.find(b"\n", start)
            if end - start > self.limit:
                self._check(end - start, at_line=line)
            start, line = end + 1, line + 1

    def _check(self, length: int, at_line: int | None = None) -> None:
        if length > self.limit:
            self.fail(at_line or self.line)

    def fail(self, line: int) -> NoReturn:
        raise InputError(self.label, f"line longer than {self.limit} bytes; raise "
                         "VIGIE_MAX_LINE_BYTES to read it", line=line)


def _decode_head(raw: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="vigie-latin1-fallback"
                                                  if encoding == "cp1252" else "replace").decode(raw)


def _looks_utf16(raw: bytes) -> str | None:
    even, odd = raw[0::2], raw[1::2]
    if len(raw) >= 4 and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if len(raw) >= 4 and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def detect_encoding(raw: bytes, label: str) -> str:
    """The encoding of a head sample: BOM, then UTF-8, then charset-normalizer."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in raw:
        utf16 = _looks_utf16(raw)
        if utf16:
            return utf16
        raise InputError(label, "binary data, not a text or known file format",
                         offset=raw.index(b"\x00"))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _reads_as_western(raw):
        return "cp1252"
    best = from_bytes(raw[:256 * 1024]).best()
    if best is None:
        raise InputError(label, "binary data or unknown text encoding")
    return best.encoding


def _reads_as_western(raw: bytes) -> bool:
    """Whether non-UTF-8 bytes read as Windows-1252 text in a Latin-script language.

    charset-normalizer alone guesses mac_latin2 or cp1250 for short French samples (a
    wrong guess turns every 'è' of a name into another letter). In French, Spanish or
    German text the accented letters sit inside mostly-ASCII words; a Cyrillic or Greek
    code page decoded as cp1252 gives words made only of high letters. So: cp1252 when
    the high characters are letters or typographic punctuation and are a minority of
    the letters; otherwise charset-normalizer decides.
    """
    text = raw[:256 * 1024].decode("cp1252", errors="vigie-latin1-fallback")
    high = [ch for ch in text if ord(ch) > 127]
    if not high:
        return True
    plausible = sum(1 for ch in high if ch.isalpha() or ch in _TYPOGRAPHY)
    high_letters = sum(1 for ch in high if ch.isalpha())
    ascii_letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return plausible >= 0.9 * len(high) and high_letters <= 0.3 * (high_letters + ascii_letters)


def _check_text(head: str, label: str) -> None:
    sample = head[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f")
    if sample and controls > 0.05 * len(sample):
        raise InputError(label, "binary data, not a text or known file format", offset=0)


def prepare_text(path: Path, label: str, scratch: Scratch, *,
                 check_lines: bool = True) -> TextFile:
    """Detect, check and (if needed) transcode `path`; see the module docstring.

    `check_lines=False` for JSON, whose reader bounds each record itself (a JSON array
    on a single line is normal).
    """
    size = path.stat().st_size
    if size == 0:
        raise InputError(label, "empty file", offset=0)
    with open(path, "rb") as fh:
        raw = fh.read(HEAD_BYTES)
    encoding = detect_encoding(raw, label)
    head = _decode_head(raw, encoding)
    _check_text(head, label)
    complete = size <= len(raw)
    limit = max_line_bytes() if check_lines else 1 << 62
    if encoding in ("utf-8", "utf-8-sig"):
        if check_lines:
            _scan(path, label, limit)
        return TextFile(path, encoding, "utf-8", head, complete, size)
    if encoding == "cp1252" and not _has_c1(path):
        if check_lines:
            _scan(path, label, limit)
        return TextFile(path, "latin-1", "latin-1", head, complete, size)
    target = scratch.path(path.name + ".utf8")
    if encoding == "cp1252":
        _transcode_cp1252(path, target, label, limit)
    else:
        _transcode(path, target, encoding, label, limit)
    return TextFile(target, encoding, "utf-8", head, complete, size)


def _chunk_bytes(limit: int) -> int:
    """Chunks a few times smaller than the line limit, so a chunk rarely needs a line walk."""
    return max(1 << 16, min(CHUNK_BYTES, limit // 4))


def _scan(path: Path, label: str, limit: int) -> None:
    """One pass over the bytes checking line lengths."""
    guard = LineGuard(label, limit)
    with open(path, "rb") as fh:
        while chunk := fh.read(_chunk_bytes(limit)):
            guard.feed(chunk)


def _has_c1(path: Path) -> bool:
    """Whether a cp1252-only byte (0x80-0x9F) occurs: then DuckDB's Latin-1 cannot read it.
    (bytes.translate deleting every other byte: measured 8x faster than a regex search.)"""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            if chunk.translate(None, _NOT_C1):
                return True
    return False


def _cp1252_to_utf8(chunk: bytes) -> bytes:
    """cp1252 bytes as UTF-8: Latin-1 decoding (a fast copy), then the 27 code points where
    cp1252 differs (0x80-0x9F, now U+0080-U+009F) swapped in. Measured faster than the
    charmap codec; the five bytes cp1252 leaves undefined stay as Latin-1 controls."""
    return _C1_UTF8.sub(_c1_utf8_fix, chunk.decode("latin-1").encode("utf-8"))


def _transcode(source: Path, target: Path, encoding: str, label: str, limit: int) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    guard = LineGuard(label, limit)
    offset = 0
    with open(source, "rb") as src, open(target, "wb") as dst:
        while True:
            chunk = src.read(_chunk_bytes(limit))
            if encoding == "cp1252":
                data = _cp1252_to_utf8(chunk)
            else:
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    raise InputError(label, f"not valid {encoding} text",
                                     offset=offset + exc.start) from None
                data = text.encode("utf-8")
            if offset == 0:
                data = data.removeprefix(codecs.BOM_UTF8)
            guard.feed(data)
            dst.write(data)
            if not chunk:
                break
            offset += len(chunk)


def _transcode_cp1252(source: Path, target: Path, label: str, limit: int) -> None:
    """cp1252 to UTF-8; a big file in two halves, the first in a worker process.

    bytes.decode/encode hold the GIL, so threads would not help. The worker is spawned,
    not forked: a fork copies the locks that DuckDB's and the reference-data threads hold
    at that instant, and a child stuck on one left the parent waiting forever (about
    0.1 s more to start it, on a transcode of seconds). The halves split just
    after a newline, so each checks its own line lengths. The second half is written
    where the first one's UTF-8 will end, known from a cheap count of its high bytes
    (each becomes 2 bytes, 3 for the cp1252 punctuation), so no copy joins them.
    """
    size = source.stat().st_size
    split = _line_start_after(source, size // 2, limit) if size >= PARALLEL_MIN_BYTES \
        and (os.cpu_count() or 1) > 1 else None
    if split is None:
        _transcode(source, target, "cp1252", label, limit)
        return
    target.touch()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending = pool.submit(_transcode_range, source, target, 0, split, 0, limit)
        first_size = _utf8_size(source, 0, split)
        second = _transcode_range(source, target, split, size, first_size, limit)
        first = pending.result()
    if first.error_line is not None:
        LineGuard(label, limit).fail(first.error_line)
    if second.error_line is not None:
        LineGuard(label, limit).fail(first.newlines + second.error_line)
    if first.written != first_size:   # cannot happen; never read a misjoined file
        raise RuntimeError("cp1252 transcoding: halves do not join")


@dataclass
class _RangeResult:
    newlines: int
    written: int
    error_line: int | None    # first line over the limit, counted from the range start


def _line_start_after(path: Path, offset: int, limit: int) -> int | None:
    """The offset just after the first newline at or after `offset`; None when there is
    none within a chunk (a long line: the sequential path then checks or reads it)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        window = fh.read(min(limit + 1, CHUNK_BYTES))
    newline = window.find(b"\n")
    return None if newline < 0 else offset + newline + 1


_ASCII = bytes(range(0x80))
_NOT_3_BYTES = bytes(b for b in range(0x100)
                     if not (0x80 <= b < 0xA0 and len(_C1_UTF8_MAP[bytes([0xC2, b])]) == 3))


def _utf8_size(path: Path, start: int, end: int) -> int:
    """Size of bytes [start, end) of a cp1252 file once transcoded by _cp1252_to_utf8."""
    total = 0
    with open(path, "rb") as fh:
        fh.seek(start)
        position = start
        while position < end:
            chunk = fh.read(min(CHUNK_BYTES, end - position))
            if not chunk:
                break
            high = chunk.translate(None, _ASCII)
            total += len(chunk) + len(high) + len(high.translate(None, _NOT_3_BYTES))
            position += len(chunk)
    return total


def _transcode_range(source: Path, target: Path, start: int, end: int, at: int,
                     limit: int) -> _RangeResult:
    """Transcode bytes [start, end) of a cp1252 file into `target` from offset `at`.
    Runs in a worker process too: reports a line error rather than raising it."""
    guard = LineGuard("", limit)
    written = 0
    with open(source, "rb") as src, open(target, "r+b") as dst:
        src.seek(start)
        dst.seek(at)
        position = start
        while position < end:
            chunk = src.read(min(_chunk_bytes(limit), end - position))
            if not chunk:
                break
            data = _cp1252_to_utf8(chunk)
            try:
                guard.feed(data)
            except InputError as exc:
                return _RangeResult(guard.line - 1, written, exc.line)
            dst.write(data)
            written += len(data)
            position += len(chunk)
    return _RangeResult(guard.line - 1, written, None)
