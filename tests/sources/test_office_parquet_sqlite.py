"""Workbooks (python-calamine), Parquet (pyarrow) and SQLite files (read-only)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from vigie.sources import open_source


def all_tables(path):
    with open_source(str(path)) as source:
        return source.info, {t.name: (t, pa.Table.from_batches(list(t.batches())).to_pylist())
                             for t in source.tables()}


def test_xlsx_one_table_per_sheet_formula_never_evaluated(tmp_path):
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    patients = book.add_worksheet("patients")
    patients.write_row(0, 0, ["NOM", "NSS", "DDN", "TOTAL"])
    patients.write_row(1, 0, ["DUPONT", 184057512345637])
    patients.write_datetime(1, 2, dt.datetime(1984, 5, 12), book.add_format({"num_format": "dd/mm/yyyy"}))
    patients.write_formula(1, 3, '=WEBSERVICE("http://example.invalid/")', None, "cached")
    patients.write_row(2, 0, ["MARTIN", 284057512345637, None, 12.5])
    book.add_worksheet("vide")
    results = book.add_worksheet("resultats")
    results.write_row(0, 0, ["Résultats du 12/03/2024"])
    results.write_row(2, 0, ["DUPONT", "CRP", 4])
    results.write_row(3, 0, ["MARTIN", "HB", 13])
    book.close()
    info, tables = all_tables(path)
    assert info.format == "excel"
    assert set(tables) == {"patients", "resultats"}
    table, rows = tables["patients"]
    assert table.columns == ["NOM", "NSS", "DDN", "TOTAL"] and table.rows == 2
    assert rows[0] == {"NOM": "DUPONT", "NSS": "184057512345637", "DDN": "1984-05-12",
                       "TOTAL": "cached"}
    assert rows[1]["TOTAL"] == "12.5"
    table, rows = tables["resultats"]
    assert table.columns == ["column_1", "column_2", "column_3"] and table.rows == 2
    assert rows[1]["column_3"] == "13"


def test_parquet_typed_with_footer_row_count(tmp_path):
    path = tmp_path / "extract.parquet"
    pq.write_table(pa.table({"nom": ["A", "B", "C"], "age": [1, 2, 3]}), path, row_group_size=2)
    info, tables = all_tables(path)
    table, rows = tables["extract"]
    assert info.format == "parquet" and table.rows == 3 and table.columns == ["nom", "age"]
    assert rows[2] == {"nom": "C", "age": 3}
    assert "read_parquet" in table.duckdb_sql


def test_sqlite_tables_only_values_as_text(tmp_path):
    path = tmp_path / "cabinet.sqlite"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE patients (id INTEGER PRIMARY KEY, nom TEXT, photo BLOB, poids REAL);
        CREATE TABLE visits (id INTEGER, patient_id INTEGER REFERENCES patients(id), motif TEXT);
        CREATE VIEW v AS SELECT nom FROM patients;
        INSERT INTO patients VALUES (1, 'DUPONT', x'0102', 70.5), (2, NULL, NULL, 61);
        INSERT INTO visits VALUES (10, 1, 'bilan');
    """)
    con.commit()
    con.close()
    before = path.read_bytes()
    info, tables = all_tables(path)
    assert info.format == "sqlite" and set(tables) == {"patients", "visits"}
    table, rows = tables["patients"]
    assert table.columns == ["id", "nom", "photo", "poids"] and table.rows == 2
    assert rows[0] == {"id": "1", "nom": "DUPONT", "photo": "0102", "poids": "70.5"}
    assert rows[1]["nom"] is None
    assert path.read_bytes() == before   # opened read-only
