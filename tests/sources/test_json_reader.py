"""JSON arrays and NDJSON flattened to dotted and [] paths, one row per record."""

from __future__ import annotations

import json

import pyarrow as pa

from vigie.sources import open_source

RECORDS = [
    {"_id": {"$oid": "a1"}, "nom": "DUPONT", "contact": {"email": "d@example.org", "tel": "0612"},
     "appointments": [{"date": "2024-01-02", "reason": "sérologie"},
                      {"date": "2024-02-03", "reason": "suivi"}], "tags": ["x", "y"], "age": 41,
     "actif": True},
    {"nom": "MARTIN", "contact": {"email": None}, "appointments": [], "age": 3.5},
    {"nom": "DURAND", "contact": "inconnu", "late": {"key": "seen later"}},
]


def rows_of(path):
    with open_source(str(path)) as source:
        table = next(source.tables())
        data = pa.Table.from_batches(list(table.batches()))
        return source.info, table, data.to_pylist()


def test_ndjson_nested_paths_and_joined_arrays(tmp_path):
    path = tmp_path / "patients.json"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n")
    info, table, rows = rows_of(path)
    assert info.format == "ndjson" and table.name == "patients" and table.rows == 3
    assert table.columns == ["_id.$oid", "nom", "contact.email", "contact.tel",
                             "appointments[].date", "appointments[].reason", "tags[]", "age",
                             "actif", "contact", "late.key"]
    first = rows[0]
    assert first["appointments[].reason"] == "sérologie|suivi"
    assert first["tags[]"] == "x|y" and first["age"] == "41" and first["actif"] == "true"
    assert rows[1]["contact.email"] is None and rows[1]["age"] == "3.5"
    assert rows[2]["contact"] == "inconnu" and rows[2]["late.key"] == "seen later"


def test_single_line_json_array(tmp_path):
    path = tmp_path / "api.json"
    path.write_text(json.dumps(RECORDS, ensure_ascii=False))
    info, table, rows = rows_of(path)
    assert info.format == "json" and table.rows == 3
    assert [r["nom"] for r in rows] == ["DUPONT", "MARTIN", "DURAND"]


def test_array_of_scalars_and_deep_nesting(tmp_path):
    path = tmp_path / "values.json"
    deep: object = "bottom"
    for _ in range(80):
        deep = {"d": deep}
    path.write_text(json.dumps([1, "deux", deep]))
    _, table, rows = rows_of(path)
    assert table.rows == 3
    assert rows[0]["value"] == "1" and rows[1]["value"] == "deux"
    deep_column = [c for c in table.columns if c.startswith("d.d.")]
    assert len(deep_column) == 1 and "bottom" in rows[2][deep_column[0]]


def test_pretty_printed_array_with_bom(tmp_path):
    path = tmp_path / "pretty.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(RECORDS[:2], indent=2).encode())
    info, table, rows = rows_of(path)
    assert info.format == "json" and table.rows == 2
    assert rows[0]["contact.email"] == "d@example.org"
