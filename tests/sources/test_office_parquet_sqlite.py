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
        return source.info, {t.name: (t, [row for b in t.batches() for row in b.to_pylist()])
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


def test_legacy_xls_workbook_one_table_per_sheet(tmp_path):
    """Old lab systems still export BIFF .xls: read by calamine like .xlsx."""
    import xlwt

    path = tmp_path / "extraction.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("patients")
    for col, title in enumerate(["NOM", "PRÉNOM", "NSS", "DDN"]):
        sheet.write(0, col, title)
    sheet.write(1, 0, "HÉBERT")
    sheet.write(1, 1, "Zoé")
    sheet.write(1, 2, 284057512345637)
    sheet.write(1, 3, dt.datetime(1984, 5, 12), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    sheet.write(2, 0, "MARTIN")
    book.add_sheet("analyses").write(0, 0, "CODE")
    book.save(str(path))

    info, tables = all_tables(path)
    assert info.format == "excel"
    table, rows = tables["patients"]
    assert table.columns == ["NOM", "PRÉNOM", "NSS", "DDN"]
    assert rows[0] == {"NOM": "HÉBERT", "PRÉNOM": "Zoé", "NSS": "284057512345637",
                       "DDN": "1984-05-12"}
    assert rows[1]["NOM"] == "MARTIN" and rows[1]["NSS"] is None
    assert len(rows) == 2
    assert tables["analyses"][0].columns == ["CODE"] and tables["analyses"][1] == []


def _write_ods(path, sheets: dict[str, list[list[str]]]) -> None:
    """A minimal OpenDocument spreadsheet (the zip layout LibreOffice writes)."""
    import zipfile
    from xml.sax.saxutils import escape

    body = "".join(
        f'<table:table table:name="{escape(name)}">' + "".join(
            "<table:table-row>" + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{escape(cell)}'
                "</text:p></table:table-cell>" for cell in row) + "</table:table-row>"
            for row in rows) + "</table:table>"
        for name, rows in sheets.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def test_ods_workbook_whatever_its_name(tmp_path):
    """An OpenDocument sheet renamed .dat is still recognised by its content."""
    path = tmp_path / "export.dat"
    _write_ods(path, {"patients": [["NOM", "TEL"], ["DURAND", "06 12 34 56 78"],
                                   ["LEROY", "01 23 45 67 89"]],
                      "notes": [["COMMENTAIRE"], ["VIH+ sous trithérapie"]]})
    info, tables = all_tables(path)
    assert info.format == "excel"
    assert [r["TEL"] for r in tables["patients"][1]] == ["06 12 34 56 78", "01 23 45 67 89"]
    assert tables["notes"][1] == [{"COMMENTAIRE": "VIH+ sous trithérapie"}]
