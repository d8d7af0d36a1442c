"""Delimited text: encodings, delimiters, headers, ragged rows, quoted newlines."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from vigie.sources import open_source
from vigie.sources.base import BATCH_ROWS


def read_all(path) -> tuple[object, list, pa.Table]:
    with open_source(str(path)) as source:
        tables = list(source.tables())
        assert len(tables) == 1
        table = tables[0]
        data = pa.Table.from_batches(list(table.batches()),
                                     schema=pa.schema([(c, pa.string()) for c in table.columns]))
        return source.info, table, data


def test_cp1252_semicolon_crlf_is_transcoded(tmp_path):
    path = tmp_path / "export_labo.txt"
    text = ("NOM;PRENOM;DDN;COMMENTAIRE\r\n"
            "LEFÈVRE;Zoé;12/05/1984;Œdème – 15 € «à jeun»\r\n"
            "GARÇON;Noël;01/01/1990;\r\n")
    path.write_bytes(text.encode("cp1252"))
    info, table, data = read_all(path)
    assert (info.format, info.encoding, info.delimiter, info.header) == ("csv", "cp1252", ";", True)
    assert table.name == "export_labo"
    assert table.columns == ["NOM", "PRENOM", "DDN", "COMMENTAIRE"]
    assert table.rows == 2
    assert data.column("COMMENTAIRE").to_pylist() == ["Œdème – 15 € «à jeun»", None]
    assert data.column("NOM").to_pylist() == ["LEFÈVRE", "GARÇON"]


def test_latin1_tsv_read_in_place_and_duckdb_sql_matches(tmp_path):
    path = tmp_path / "consult.tsv"
    path.write_bytes("Nom\tPrénom\tVille\nDURAND\tHélène\tSaint-Étienne\nMARTIN\tJosé\tNîmes\n"
                     .encode("latin-1"))
    info, table, data = read_all(path)
    assert (info.encoding, info.delimiter) == ("latin-1", "\t")
    assert data.column("Prénom").to_pylist() == ["Hélène", "José"]
    rows = duckdb.connect().execute(f"SELECT * FROM {table.duckdb_sql}").fetchall()
    assert rows == [tuple(r.values()) for r in data.to_pylist()]


def test_utf8_bom_header_has_no_bom(tmp_path):
    path = tmp_path / "rdv.csv"
    path.write_bytes("\ufeffid;nom\n1;Éloïse\n2;Anaïs\n".encode("utf-8"))
    info, table, data = read_all(path)
    assert info.encoding == "utf-8-sig"
    assert table.columns == ["id", "nom"]
    assert data.column("nom").to_pylist() == ["Éloïse", "Anaïs"]


def test_utf16_unicode_text_export(tmp_path):
    path = tmp_path / "excel_unicode.txt"
    path.write_bytes("NOM\tVILLE\nDUPONT\tBéziers\nMARTIN\tSète\n".encode("utf-16"))
    info, table, data = read_all(path)
    assert info.encoding == "utf-16" and info.delimiter == "\t"
    assert data.column("VILLE").to_pylist() == ["Béziers", "Sète"]


def test_headerless_pipe_file_keeps_first_record(tmp_path):
    path = tmp_path / "interface.dat"
    path.write_text("DUPONT|JEAN|12/05/1984|184057512345637\n"
                    "MARTIN|ZOE|01/01/1990|284057512345637\n")
    info, table, data = read_all(path)
    assert info.header is False and info.delimiter == "|"
    assert table.columns == ["column_1", "column_2", "column_3", "column_4"]
    assert table.rows == 2
    assert data.column("column_1").to_pylist() == ["DUPONT", "MARTIN"]


def test_headerless_all_text_with_repeated_values(tmp_path):
    path = tmp_path / "noms.txt"
    path.write_text("DUPONT|JEAN\nMARTIN|ZOE\nDUPONT|PAUL\n")
    _, table, data = read_all(path)
    assert table.columns == ["column_1", "column_2"]
    assert data.column("column_1").to_pylist() == ["DUPONT", "MARTIN", "DUPONT"]


def test_ragged_rows_mixed_eol_and_quoted_newlines_lose_nothing(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_bytes(b"nom,ddn,tel,note\r\n"
                     b"DUPONT,1984-05-12,0612345678,\"ligne 1\nligne 2\"\n"
                     b"MARTIN,1990-01-01\r\n"
                     b"DURAND,02/02/91,06 12 34 56 78,ok,extra\n")
    info, table, data = read_all(path)
    assert info.delimiter == ","
    assert table.rows == 3
    assert table.duckdb_sql is None  # irregular layout: read by the tolerant reader
    assert table.columns == ["nom", "ddn", "tel", "note", "column_5"]
    assert data.column("note").to_pylist() == ["ligne 1\nligne 2", None, "ok"]
    assert data.column("tel").to_pylist() == ["0612345678", None, "06 12 34 56 78"]
    assert data.column("column_5").to_pylist() == [None, None, "extra"]


def test_comma_inside_values_does_not_win_over_semicolon(tmp_path):
    path = tmp_path / "resultats.csv"
    path.write_text("NOM;RESULTAT;UNITE\nA;13,2;g/dl\nB;4,5;mmol/l\nC;0,9;mg/l\n")
    info, table, _ = read_all(path)
    assert info.delimiter == ";" and table.columns == ["NOM", "RESULTAT", "UNITE"]


def test_duplicate_and_empty_header_names_are_made_unique(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("NOM;NOM;;TEL;tel\nA;B;C;0612345678;0\nD;E;F;0712345678;1\n")
    _, table, data = read_all(path)
    assert table.columns == ["NOM", "NOM_2", "column_3", "TEL", "tel_2"]
    assert data.column("tel_2").to_pylist() == ["0", "1"]


def test_large_file_streams_in_bounded_batches(tmp_path):
    path = tmp_path / "many.csv"
    n = BATCH_ROWS + 1234
    with open(path, "w") as fh:
        fh.write("id;email\n")
        fh.writelines(f"{i};p{i}@example.org\n" for i in range(n))
    with open_source(str(path)) as source:
        table = next(source.tables())
        sizes = [b.num_rows for b in table.batches()]
        assert sum(sizes) == n == table.rows
        assert max(sizes) <= BATCH_ROWS and len(sizes) >= 2
        # batches() starts a fresh stream each call
        assert sum(b.num_rows for b in table.batches()) == n


def test_title_lines_above_the_table_are_skipped(tmp_path):
    path = tmp_path / "lims.csv"
    path.write_text("Export LIMS du 12/03/2024\n\nNOM;DDN;NSS\nDUPONT;12/05/1984;1\n"
                    "MARTIN;01/01/1990;2\n")
    info, table, data = read_all(path)
    assert info.header is True and table.columns == ["NOM", "DDN", "NSS"]
    assert table.rows == 2 and data.column("NOM").to_pylist() == ["DUPONT", "MARTIN"]
    ragged = tmp_path / "lims_ragged.csv"
    ragged.write_text("Export LIMS\nNOM;DDN;NSS\nDUPONT;12/05/1984\nMARTIN;01/01/1990;2\n")
    _, table, data = read_all(ragged)
    assert table.duckdb_sql is None and table.columns == ["NOM", "DDN", "NSS"]
    assert data.column("NSS").to_pylist() == [None, "2"]


def test_open_parses_nothing_and_the_first_stream_proves_the_layout(tmp_path, monkeypatch):
    from vigie.sources import duckscan
    counts = []
    scalar = duckscan.scalar
    monkeypatch.setattr(duckscan, "scalar", lambda sql: counts.append(sql) or scalar(sql))
    path = tmp_path / "regular.csv"
    path.write_text("id;nom\n" + "".join(f"{i};N{i}\n" for i in range(1000)))
    with open_source(str(path)) as source:
        table = next(source.tables())
        assert counts == []                              # no count(*) at open
        assert sum(b.num_rows for b in table.batches()) == 1000
        assert table.rows == 1000 and table.duckdb_sql is not None and counts == []
    with open_source(str(path)) as source:
        table = next(source.tables())
        assert table.columns == ["id", "nom"] and len(counts) == 1      # asking proves it
        assert table.rows == 1000 and table.duckdb_sql and len(counts) == 1


def test_stream_going_irregular_midway_continues_without_loss_or_repeat(tmp_path):
    path = tmp_path / "late_ragged.csv"
    n = 4 * BATCH_ROWS
    with open(path, "w") as fh:
        fh.write("id;nom;ville\n")
        fh.writelines(f'{i};N{i};"V;{i}"\n' for i in range(n))
        fh.write("short;row\n")
        fh.writelines(f"{i};N{i};V{i}\n" for i in range(n, n + 10))
    with open_source(str(path)) as source:
        table = next(source.tables())
        batches = list(table.batches())
        ids = [v for b in batches for v in b.column("id").to_pylist()]
        assert ids == [str(i) for i in range(n)] + ["short"] + [str(i) for i in range(n, n + 10)]
        villes = [v for b in batches for v in b.column("ville").to_pylist()]
        assert villes[n - 1] == f"V;{n - 1}" and villes[n] is None and villes[-1] == f"V{n + 9}"
        assert table.rows == n + 11 and table.duckdb_sql is None
        assert table.columns == ["id", "nom", "ville"]


def test_big_cp1252_file_transcoded_in_two_halves_like_in_one(tmp_path, monkeypatch):
    from vigie.sources import textfile
    monkeypatch.setattr(textfile, "PARALLEL_MIN_BYTES", 1 << 16)
    path = tmp_path / "export.txt"
    # cp1252 punctuation on every line; 0x81, which cp1252 leaves undefined, on some
    path.write_bytes(b"NOM;NOTE\r\n" + b"".join(
        f"N{i};Œdème – {i} € «à jeun» ’".encode("cp1252") + (b"\x81" if i % 97 == 0 else b"")
        + b"\r\n" for i in range(20_000)))
    halves, whole = tmp_path / "halves.utf8", tmp_path / "whole.utf8"
    textfile._transcode_cp1252(path, halves, "export.txt", 1 << 20)
    textfile._transcode(path, whole, "cp1252", "export.txt", 1 << 20)
    assert halves.read_bytes() == whole.read_bytes()
    _, table, data = read_all(path)
    assert table.rows == 20_000
    assert data.column("NOTE").to_pylist()[1] == "Œdème – 1 € «à jeun» ’"
