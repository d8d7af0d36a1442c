"""Zip, gzip, tar and folders: every member read, labels naming the member, temp files removed."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from vigie.errors import InputError
from vigie.sources import open_source

CSV = "nom;nss\nDUPONT;184057512345637\nMARTIN;284057512345637\n"
NDJSON = json.dumps({"nom": "DUPONT", "contact": {"email": "d@example.org"}}) + "\n"


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_members_with_labels_and_cleanup(tmp_path):
    path = make_zip(tmp_path / "leak.zip", {"export/patients.csv": CSV.encode(),
                                            "export/rdv.json": NDJSON.encode(),
                                            "__MACOSX/export/._patients.csv": b"\x00\x05junk"})
    source = open_source(str(path))
    tables = list(source.tables())
    assert source.info.format == "zip"
    assert source.info.members == [f"{path}!export/patients.csv", f"{path}!export/rdv.json"]
    assert [t.name for t in tables] == ["patients", "rdv"]
    assert tables[0].origin == f"{path}!export/patients.csv"
    assert tables[0].count_rows() == 2 and tables[1].columns == ["nom", "contact.email"]
    extracted = Path(tables[0].duckdb_sql.split("'")[1])
    assert extracted.exists()
    source.close()
    assert not extracted.exists()


def test_gzip_csv_keeps_inner_dialect(tmp_path):
    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(CSV.encode()))
    with open_source(str(path)) as source:
        table = next(source.tables())
        assert (source.info.format, source.info.delimiter) == ("gzip", ";")
        assert table.name == "export" and table.origin == f"{path}!export.csv"
        assert pa.Table.from_batches(list(table.batches())).column("nss").to_pylist() == \
            ["184057512345637", "284057512345637"]


def test_tar_gz_and_nested_zip_within_depth(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"a.csv": CSV.encode()})
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tf:
        tf.add(inner, arcname="dir/inner.zip")
    path = tmp_path / "bundle.tgz"
    path.write_bytes(gzip.compress(buffer.getvalue()))
    with open_source(str(path)) as source:
        tables = list(source.tables())
        assert [t.name for t in tables] == ["a"]
        assert tables[0].origin == f"{path}!bundle.tar!dir/inner.zip!a.csv"


def test_folder_recursive_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.csv").write_text(CSV)
    (tmp_path / "a.json").write_text(NDJSON)
    with open_source(str(tmp_path)) as source:
        assert source.info.format == "folder"
        assert [t.name for t in source.tables()] == ["a", "z"]
        assert source.info.members == [f"{tmp_path}/a.json", f"{tmp_path}/b/z.csv"]


def test_zip_bomb_ratio_refused(tmp_path):
    path = make_zip(tmp_path / "bomb.zip", {"zeros.csv": b"0" * (8 << 20)})
    with pytest.raises(InputError, match="compression ratio above 200:1") as err:
        open_source(str(path))
    assert "bomb.zip!zeros.csv" in str(err.value)


def test_zip_total_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_MAX_UNCOMPRESSED_BYTES", "100")
    path = make_zip(tmp_path / "big.zip", {"a.csv": CSV.encode() * 3})
    with pytest.raises(InputError, match="expands beyond 100 bytes"):
        open_source(str(path))


def test_nesting_deeper_than_three_refused(tmp_path):
    data = CSV.encode()
    for level in range(4):
        data = gzip.compress(data) if level % 2 else make_zip(
            tmp_path / f"l{level}.zip", {f"l{level}.bin": data}).read_bytes()
    path = tmp_path / "deep.zip"
    make_zip(path, {"next.zip": data})
    with pytest.raises(InputError, match="nested more than 3 deep"):
        open_source(str(path))


def test_truncated_and_corrupt_archives(tmp_path):
    gz = tmp_path / "cut.csv.gz"
    gz.write_bytes(gzip.compress(CSV.encode() * 100)[:-30])
    with pytest.raises(InputError, match="corrupt or truncated gzip") as err:
        open_source(str(gz))
    assert str(err.value).startswith(str(gz))
    zp = tmp_path / "cut.zip"
    zp.write_bytes(make_zip(tmp_path / "ok.zip", {"a.csv": CSV.encode() * 50}).read_bytes()[:-60])
    with pytest.raises(InputError, match="zip"):
        open_source(str(zp))


def test_member_paths_cannot_escape_the_scratch_folder(tmp_path):
    path = make_zip(tmp_path / "evil.zip", {"../../escaped.csv": CSV.encode()})
    with open_source(str(path)) as source:
        table = next(source.tables())
        extracted = Path(table.duckdb_sql.split("'")[1])
        assert table.origin == f"{path}!../../escaped.csv" and table.name == "escaped"
        assert extracted.name == "escaped.csv"
        assert extracted.parent.parent.name.startswith("vigie-")
    assert not (tmp_path.parent / "escaped.csv").exists()


def test_nested_archives_share_one_size_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_MAX_UNCOMPRESSED_BYTES", "2000")
    inner = make_zip(tmp_path / "inner.zip", {"b.csv": CSV.encode() * 20})   # 1.2 kB
    path = make_zip(tmp_path / "outer.zip", {"a.csv": CSV.encode() * 20,
                                             "inner.zip": inner.read_bytes()})
    with pytest.raises(InputError, match="expands beyond 2000 bytes") as err:
        open_source(str(path))
    assert str(err.value).startswith(f"{path}!inner.zip!b.csv")
