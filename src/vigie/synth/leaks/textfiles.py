"""Write delimited text and JSON leak files by streaming Arrow batches through DuckDB.

DuckDB's COPY writer quotes only the values that need it (pyarrow's CSV writer quotes
every string, which no lab system does) and writes nested structs/lists as JSON, so no
hand-written serialiser is needed. DuckDB writes UTF-8 only: other encodings, a BOM or
CRLF line ends are produced by one streaming transcoding pass over its output.
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

CHUNK_BYTES = 1 << 20

# Characters common in French text that cp1252 / latin-1 lack, as legacy systems write them.
_TRANSLIT = {"œ": "oe", "Œ": "OE", "β": "B", "’": "'", "‘": "'", "“": '"', "”": '"',
             "…": "...", "€": "EUR", "–": "-", "—": "-", "\u202f": " ", "\u00a0": " "}


def _transliterate(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a close ASCII stand-in for a character the target lacks."""
    if not isinstance(error, UnicodeEncodeError):   # registered for encoding only
        raise error
    out = []
    for char in error.object[error.start:error.end]:
        stand_in = _TRANSLIT.get(char)
        if stand_in is None:
            stand_in = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"
        out.append(stand_in)
    return "".join(out), error.end


codecs.register_error("vigie_transliterate", _transliterate)


def _copy(reader: pa.RecordBatchReader, target: Path, options: str) -> None:
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.register("leak_rows", reader)
        target_sql = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM leak_rows) TO '{target_sql}' ({options})")
    finally:
        con.close()


def _transcode(source: Path, target: Path, encoding: str, bom: bool, crlf: bool) -> None:
    """Re-encode DuckDB's UTF-8 output chunk by chunk (memory stays one chunk)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(source, "rb") as src, open(target, "wb") as dst:
        if bom:
            dst.write(codecs.BOM_UTF8)
        while True:
            chunk = src.read(CHUNK_BYTES)
            text = decoder.decode(chunk, final=not chunk)
            if crlf and text:
                text = text.replace("\n", "\r\n")
            dst.write(text.encode(encoding, errors="vigie_transliterate"))
            if not chunk:
                break


def write_delimited(path: Path, schema: pa.Schema, batches: Iterator[pa.RecordBatch], *,
                    delimiter: str, encoding: str = "utf-8", header: bool = True,
                    bom: bool = False, crlf: bool = False, gzip: bool = False) -> Path:
    """Stream batches (all string columns) into a delimited text file.

    Nulls are written as empty fields. `gzip` compresses (UTF-8, no transcoding).
    """
    reader = pa.RecordBatchReader.from_batches(schema, batches)
    delim = delimiter.replace("'", "''")
    options = f"FORMAT csv, DELIMITER '{delim}', HEADER {str(header).lower()}, QUOTE '\"'"
    if gzip:
        _copy(reader, path, options + ", COMPRESSION gzip")
        return path
    if encoding.lower().replace("-", "") == "utf8" and not bom and not crlf:
        _copy(reader, path, options)
        return path
    raw = path.with_name(path.name + ".utf8.part")
    try:
        _copy(reader, raw, options)
        _transcode(raw, path, encoding, bom, crlf)
    finally:
        if raw.exists():
            os.unlink(raw)
    return path


def write_json(path: Path, schema: pa.Schema, batches: Iterator[pa.RecordBatch], *,
               array: bool) -> Path:
    """Stream batches (structs and lists allowed) as NDJSON, or as one JSON array."""
    reader = pa.RecordBatchReader.from_batches(schema, batches)
    _copy(reader, path, f"FORMAT json, ARRAY {str(array).lower()}")
    return path
