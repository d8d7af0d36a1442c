"""Hostile and broken inputs: one InputError naming the file and the place, no value quoted."""

from __future__ import annotations

import bz2
import gzip
import json
import sqlite3

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from vigie.errors import InputError
from vigie.sources import open_source

SECRET = "184057512345637"   # a synthetic NIR that must never appear in an error


def open_and_read(path):
    with open_source(str(path)) as source:
        for table in source.tables():
            for _ in table.batches():
                pass


def error_of(path) -> InputError:
    with pytest.raises(InputError) as err:
        open_and_read(path)
    assert str(err.value).startswith(str(path))
    assert SECRET not in str(err.value)
    return err.value


def test_missing_empty_and_binary(tmp_path):
    assert "no such file" in error_of(tmp_path / "absent.csv").message
    (tmp_path / "empty.csv").write_bytes(b"")
    assert error_of(tmp_path / "empty.csv").message == "empty file"
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 64)
    assert "binary data" in error_of(garbage).message


def test_unsupported_compression_named(tmp_path):
    path = tmp_path / "leak.csv.bz2"
    path.write_bytes(bz2.compress(b"a;b\n1;2\n"))
    assert error_of(path).message == "bzip2 files are not supported"


def test_long_line_refused_with_line_number(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_MAX_LINE_BYTES", str(1 << 20))
    path = tmp_path / "long.csv"
    with open(path, "wb") as fh:
        fh.write(b"nom;nss\nDUPONT;" + SECRET.encode() + b"\n")
        fh.write((SECRET.encode() + b";") * 200_000 + b"\n")
    err = error_of(path)
    assert err.line == 3 and "longer than 1048576 bytes" in err.message


def test_invalid_utf8_after_a_utf8_head(tmp_path):
    path = tmp_path / "mixed.csv"
    with open(path, "wb") as fh:
        fh.write(b"nom;nss\n")
        fh.write(("DUPONT;" + SECRET + "\n").encode() * 200_000)
        fh.write(b"M\xe9LANIE;" + SECRET.encode() + b"\n")
    err = error_of(path)
    assert err.line == 200_002 and "UTF-8" in err.message


def test_unterminated_quote(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(f'nom;nss\nDUPONT;{SECRET}\n"MARTIN;{SECRET}\nDURAND;{SECRET}\n')
    err = error_of(path)
    assert err.line is not None and "quot" in err.message


def test_truncated_json_array_and_ndjson(tmp_path):
    array = tmp_path / "cut.json"
    array.write_text(json.dumps([{"nss": SECRET}] * 5)[:-20])
    assert "malformed JSON" in error_of(array).message
    ndjson = tmp_path / "cut.ndjson"
    ndjson.write_text(f'{{"nss": "{SECRET}"}}\n{{"nss": "{SECRET}"\n{{"nss": "x"}}\n')
    err = error_of(ndjson)
    assert err.line == 3 and "malformed JSON" in err.message


def test_json_record_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_MAX_LINE_BYTES", str(1 << 20))
    path = tmp_path / "huge.json"
    path.write_text('[{"a": 1}, {"note": "' + SECRET * 4_000_000 + '"}]')
    assert "record size limit" in error_of(path).message


def test_corrupt_parquet_sqlite_and_workbook(tmp_path):
    parquet = tmp_path / "cut.parquet"
    pq.write_table(pa.table({"nss": [SECRET] * 100}), parquet)
    parquet.write_bytes(parquet.read_bytes()[:200])
    assert "Parquet" in error_of(parquet).message
    db = tmp_path / "cut.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (nss TEXT)")
    con.executemany("INSERT INTO t VALUES (?)", [(SECRET,)] * 5000)
    con.commit()
    con.close()
    db.write_bytes(db.read_bytes()[:100] + b"\xff" * 4000)
    assert "SQLite" in error_of(db).message
    xlsx = tmp_path / "broken.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert error_of(xlsx).message.startswith("unreadable")


def test_gzip_of_garbage_names_the_member(tmp_path):
    path = tmp_path / "noise.dat.gz"
    path.write_bytes(gzip.compress(bytes(range(256)) * 64))
    err = error_of(path)
    assert str(err).startswith(f"{path}!noise.dat") and "binary data" in err.message


def test_too_many_columns_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_MAX_COLUMNS", "50")
    wide = tmp_path / "wide.csv"
    wide.write_text(";".join(f"c{i}" for i in range(60)) + "\n" + ";".join("1" * 60) + "\n")
    assert error_of(wide).message.startswith("more than 50 columns")
    keys = tmp_path / "keys.ndjson"
    keys.write_text("".join(json.dumps({f"k{i}": i}) + "\n" for i in range(60)))
    assert error_of(keys).message.startswith("more than 50 columns")


def test_line_guard_counts_lines_across_and_inside_chunks():
    from vigie.sources.textfile import LineGuard
    guard = LineGuard("f.csv", limit=10)
    guard.feed(b"short\nalso short\n12345")
    guard.feed(b"678\n")                       # a line of 8 bytes split over two chunks
    with pytest.raises(InputError) as err:
        guard.feed(b"ok\n" + b"x" * 11 + b"\nok\n")
    assert err.value.line == 5


@pytest.mark.parametrize("index", [5_000, 15_000])      # in the forked half, in this one
def test_long_line_named_by_parallel_transcoding(tmp_path, monkeypatch, index):
    from vigie.sources import textfile
    monkeypatch.setattr(textfile, "PARALLEL_MIN_BYTES", 1 << 16)
    monkeypatch.setenv("VIGIE_MAX_LINE_BYTES", "4096")
    path = tmp_path / "export.txt"
    lines = [f"N{i};œ {i} €\n".encode("cp1252") for i in range(20_000)]
    lines[index] = b"X;" + SECRET.encode() * 400 + b"\n"
    path.write_bytes(b"NOM;NOTE\n" + b"".join(lines))
    err = error_of(path)
    assert err.line == index + 2 and "longer than 4096 bytes" in err.message
