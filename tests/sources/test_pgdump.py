"""pg_dump reader: dumps made by the local PostgreSQL, hand-written COPY blocks with every
escape, and truncated or broken dumps (which must fail with a line number)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from vigie.errors import InputError
from vigie.sources import pgdump, sqlscan
from vigie.sources.pgdump import looks_like_pgdump, open_pgdump


def read_all(path: Path) -> dict[str, list[dict]]:
    source = open_pgdump(path, path.name)
    return {t.name: [row for b in t.batches() for row in b.to_pylist()]
            for t in source.tables()}


TRICKY = [
    (1, "O'Brien", "ligne 1\nligne 2\ttab \\ antislash \\N pas nul \r\x08\x0c\x0b fin", "2020-01-02"),
    (2, None, "", None),
    (3, "Zoé", "\\.", "1999-12-31"),
]


@pytest.fixture
def postgres_db(postgres_scratch_db):
    """A database on the local PostgreSQL with tricky values; its name."""
    name, conn = postgres_scratch_db
    conn.execute("CREATE TABLE patients (id int PRIMARY KEY, nom text, note text, "
                 "ddn date, photo bytea)")
    with conn.cursor().copy("COPY patients FROM STDIN") as copy:
        for row in TRICKY:
            copy.write_row(row + (b"\x00\xff",))
    conn.execute('CREATE SCHEMA labo; CREATE TABLE labo."Résultats" '
                 '("patient id" int, valeur numeric)')
    conn.execute('INSERT INTO labo."Résultats" SELECT g % 3 + 1, g / 4.0 '
                 'FROM generate_series(1, 3000) g')
    conn.execute("CREATE TABLE vide (a int)")
    conn.execute("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$")
    return name


def pg_dump(database: str, path: Path, *options: str) -> Path:
    subprocess.run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", *options, "-f", str(path),
                    database], check=True, capture_output=True)
    return path


@pytest.fixture
def postgres_dump(postgres_db, tmp_path):
    """The database dumped by the real pg_dump (plain format, COPY blocks)."""
    return pg_dump(postgres_db, tmp_path / "server.sql")


@pytest.mark.db
def test_real_pg_dump_round_trip(postgres_dump):
    text = postgres_dump.read_bytes()
    assert looks_like_pgdump(text[:65536])
    source = open_pgdump(postgres_dump, "server.sql")
    tables = {t.name: t for t in source.tables()}
    assert set(tables) == {"patients", "labo.Résultats", "vide"}
    assert tables["labo.Résultats"].rows == 3000          # known from the index pass
    assert tables["labo.Résultats"].columns == ["patient id", "valeur"]
    rows = read_all(postgres_dump)
    assert [(r["id"], r["nom"], r["note"], r["ddn"]) for r in rows["patients"]] == [
        (str(i), nom, note, ddn) for i, nom, note, ddn in TRICKY]
    assert rows["patients"][0]["photo"] == "\\x00ff"
    results = rows["labo.Résultats"]
    assert len(results) == 3000 and results[2999] == {"patient id": "1", "valeur": "750.0000000000000000"}
    assert rows["vide"] == []


@pytest.mark.db
def test_real_pg_dump_in_tiny_chunks(postgres_dump, monkeypatch):
    """Index pass with a 53-byte window, Arrow blocks smaller than a row: same rows."""
    expected = read_all(postgres_dump)
    monkeypatch.setattr(sqlscan, "CHUNK_BYTES", 53)
    monkeypatch.setattr(pgdump, "_CSV_BLOCK", 16)
    assert read_all(postgres_dump) == expected


@pytest.mark.db
def test_real_pg_dump_cut_mid_copy_fails_with_line(postgres_dump, dump_file):
    text = postgres_dump.read_bytes()
    cut = text.index(b"COPY labo.") + 2000
    with pytest.raises(InputError) as err:
        read_all(dump_file(text[:cut], "cut.sql"))
    assert err.value.line == text[:cut].count(b"\n") + 1
    assert "truncated" in err.value.message and "ends inside the COPY data" in err.value.message


@pytest.mark.db
def test_real_pg_dump_cut_between_statements_fails(postgres_dump, dump_file):
    text = postgres_dump.read_bytes()
    cut = text.index(b"\\.\n", text.index(b"COPY labo.")) + 3
    with pytest.raises(InputError, match="dump complete"):
        read_all(dump_file(text[:cut], "cut.sql"))


HAND = rb'''--
-- PostgreSQL database dump
--

\restrict abcDEF123

SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
CREATE FUNCTION public.g() RETURNS text LANGUAGE plpgsql AS $body$ BEGIN RETURN 'a;b'; END; $body$;
COMMENT ON TABLE public.t IS 'it''s; a comment';
CREATE TABLE public.t (
    id integer NOT NULL,
    "Nom ""cit\xc3\xa9""" text DEFAULT 'x,y',
    note text,
    CONSTRAINT t_check CHECK ((id > 0))
);
COPY public.t (id, "Nom ""cit\xc3\xa9""", note) FROM stdin;
1	a\tb	\N
2	\\N	octal \101\102 hex \x43 other \q
3		
\.
COPY public.single (v) FROM stdin;

x
\.

--
-- PostgreSQL database dump complete
--

\unrestrict abcDEF123
'''.replace(rb"\xc3\xa9", "é".encode())


def test_hand_written_dump(dump_file):
    path = dump_file(HAND)
    assert looks_like_pgdump(HAND)
    source = open_pgdump(path, path.name)
    tables = {t.name: t for t in source.tables()}
    assert tables["t"].columns == ["id", 'Nom "cité"', "note"]
    assert tables["t"].rows == 3
    rows = read_all(path)
    assert rows["t"] == [
        {"id": "1", 'Nom "cité"': "a\tb", "note": None},
        {"id": "2", 'Nom "cité"': "\\N", "note": "octal AB hex C other q"},
        {"id": "3", 'Nom "cité"': "", "note": ""},
    ]
    assert rows["single"] == [{"v": ""}, {"v": "x"}]


def test_short_row_in_copy_fails_with_line(dump_file):
    text = HAND.replace(b"3\t\t\n", b"3\tseul\n")
    with pytest.raises(InputError) as err:
        read_all(dump_file(text))
    line = text[:text.index(b"3\tseul")].count(b"\n") + 1
    assert err.value.line == line and "2 fields, expected 3" in err.value.message
    assert "seul" not in str(err.value)


def test_invalid_utf8_in_copy_fails_with_line(dump_file):
    text = HAND.replace(b"1\ta\\tb", b"1\ta\xff")
    with pytest.raises(InputError, match="not valid utf-8") as err:
        read_all(dump_file(text))
    assert err.value.line == text[:text.index(b"1\ta\xff")].count(b"\n") + 1


def test_latin1_dump_is_decoded(dump_file):
    text = (b"SET client_encoding = 'LATIN1';\n"
            b"COPY public.t (nom) FROM stdin;\nH\xe9l\xe8ne\n\\.\n")
    assert read_all(dump_file(text)) == {"t": [{"nom": "Hélène"}]}


def test_unterminated_dollar_quote_fails(dump_file):
    text = b"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n"
    with pytest.raises(InputError, match="truncated"):
        read_all(dump_file(text))


def test_not_a_pg_dump():
    assert not looks_like_pgdump(b"-- MariaDB dump 10.19\nINSERT INTO `t` VALUES (1);\n")
    assert looks_like_pgdump(b"COPY public.t (a) FROM stdin;\n1\n\\.\n")


@pytest.mark.db
@pytest.mark.parametrize("option", ["--inserts", "--column-inserts", "--rows-per-insert=7"])
def test_real_pg_dump_with_inserts(postgres_db, postgres_dump, tmp_path, option):
    """pg_dump --inserts variants give the same tables and rows as the COPY dump."""
    path = pg_dump(postgres_db, tmp_path / "inserts.sql", option)
    assert b"INSERT INTO public.patients" in path.read_bytes()
    assert read_all(path) == read_all(postgres_dump)



INSERTS = rb"""SET standard_conforming_strings = on;
CREATE TABLE public.t (id integer, note text);
INSERT INTO public.t OVERRIDING SYSTEM VALUE VALUES
	(1, 'C:\dossier l''ete
suite; (fin)'),
	(2, NULL);
INSERT INTO public.t (note, id) VALUES (E'tab\there \'q\' ''r''', -3);
"""


def test_hand_written_inserts(dump_file):
    """Standard strings keep backslashes, '' is a quote, E'' strings have escapes;
    raw newlines inside strings; OVERRIDING SYSTEM VALUE; several rows per statement."""
    assert read_all(dump_file(INSERTS)) == {"t": [
        {"id": "1", "note": "C:\\dossier l'ete\nsuite; (fin)"},
        {"id": "2", "note": None},
        {"id": "-3", "note": "tab\there 'q' 'r'"}]}


def test_truncated_insert_fails_with_line(dump_file):
    text = INSERTS[:INSERTS.index(b"suite;")]
    with pytest.raises(InputError, match="truncated") as err:
        read_all(dump_file(text))
    assert err.value.line == 5


def test_hand_written_inserts_in_tiny_chunks(dump_file, monkeypatch):
    path = dump_file(INSERTS)
    expected = read_all(path)
    for size in (1, 5, 33):
        monkeypatch.setattr(sqlscan, "CHUNK_BYTES", size)
        assert read_all(path) == expected
