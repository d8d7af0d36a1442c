"""Live databases read by URL on the local PostgreSQL and MariaDB servers (no mocks)."""

from __future__ import annotations

import pytest

from vigie.errors import InputError
from vigie.sources import database
from vigie.sources.database import open_database

pytestmark = pytest.mark.db

ROWS = 2500


@pytest.fixture
def pg_url(postgres_scratch_db):
    name, conn = postgres_scratch_db
    conn.execute("CREATE TABLE patients (id int PRIMARY KEY, nom text, ddn date, "
                 "vu timestamp, photo bytea, poids numeric(5,1))")
    conn.execute("INSERT INTO patients SELECT g, 'NOM' || g, date '1980-01-01' + g, "
                 "timestamp '2024-03-01 08:30:00' + g * interval '1 hour', "
                 "CASE WHEN g = 1 THEN '\\x00ff'::bytea END, g / 10.0 "
                 f"FROM generate_series(1, {ROWS}) g")
    conn.execute("CREATE SCHEMA labo; CREATE TABLE labo.resultats (patient_id int, "
                 "examen text); INSERT INTO labo.resultats VALUES (1, 'NFS'), "
                 "(2, NULL)")
    conn.execute("CREATE VIEW v AS SELECT 1")
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
def mariadb_url(mariadb_scratch_db):
    name, cur = mariadb_scratch_db
    cur.execute("CREATE TABLE patients (id int PRIMARY KEY, nom varchar(20), ddn date, "
                "vu datetime, photo blob, poids decimal(5,1))")
    cur.execute("INSERT INTO patients SELECT seq, concat('NOM', seq), "
                "date_add('1980-01-01', interval seq day), "
                "date_add('2024-03-01 08:30:00', interval seq hour), "
                "if(seq = 1, x'00ff', NULL), seq / 10 "
                f"FROM seq_1_to_{ROWS}")
    cur.execute("CREATE TABLE notes (code varchar(10), texte text)")   # no primary key
    cur.executemany("INSERT INTO notes VALUES (%s, %s)",
                    [(f"c{i}", f"Hélène {i}") for i in range(300)])
    return f"mysql://root@127.0.0.1:3306/{name}"


def rows_of(table) -> list[dict]:
    return [row for b in table.batches() for row in b.to_pylist()]


def test_postgres_tables_values_and_sample(pg_url, monkeypatch):
    monkeypatch.setattr(database, "BATCH_ROWS", 1000)
    source = open_database(pg_url)
    assert source.info.format == "postgresql"
    tables = {t.name: t for t in source.tables()}
    assert set(tables) == {"patients", "labo.resultats"}      # views are left out
    patients = tables["patients"]
    assert patients.columns == ["id", "nom", "ddn", "vu", "photo", "poids"]
    assert patients.rows == ROWS
    assert [b.num_rows for b in patients.batches()] == [1000, 1000, 500]   # server cursor
    rows = rows_of(patients)
    assert len(rows) == ROWS
    first = min(rows, key=lambda r: int(r["id"]))
    assert first == {"id": "1", "nom": "NOM1", "ddn": "1980-01-02", "vu": "2024-03-01 09:30:00",
                     "photo": "\\x00ff", "poids": "0.1"}
    assert rows_of(tables["labo.resultats"]) == [{"patient_id": "1", "examen": "NFS"},
                                                 {"patient_id": "2", "examen": None}]
    sample = patients.sample_rows(100)
    assert 0 < sample.num_rows <= 100 and sample.column_names == patients.columns
    ids = [int(i) for i in sample.column("id").to_pylist()]
    assert max(ids) - min(ids) > ROWS // 4                    # drawn across the table
    assert tables["labo.resultats"].sample_rows(10).num_rows == 2


def test_mariadb_tables_values_and_sample(mariadb_url):
    source = open_database(mariadb_url)
    assert source.info.format == "mariadb"
    tables = {t.name: t for t in source.tables()}
    assert set(tables) == {"patients", "notes"}
    patients = tables["patients"]
    assert patients.rows == ROWS
    rows = rows_of(patients)
    assert len(rows) == ROWS
    assert rows[0] == {"id": "1", "nom": "NOM1", "ddn": "1980-01-02",
                       "vu": "2024-03-01 09:30:00", "photo": "0x00FF", "poids": "0.1"}
    sample = patients.sample_rows(200)
    ids = sorted(int(i) for i in sample.column("id").to_pylist())
    assert 100 <= len(ids) <= 200 and len(set(ids)) == len(ids)
    assert ids[-1] - ids[0] > ROWS // 2                       # several ranges, spread out
    notes = tables["notes"].sample_rows(50)                    # no key: offset ranges
    assert 0 < notes.num_rows <= 50
    assert all(t.startswith("Hélène ") for t in notes.column("texte").to_pylist())


def test_mariadb_scheme_alias(mariadb_url):
    source = open_database(mariadb_url.replace("mysql://", "mariadb://"))
    assert {t.name for t in source.tables()} == {"patients", "notes"}


@pytest.mark.parametrize("url, reason", [
    ("postgresql://postgres:s3cret@127.0.0.1:5432/vigie_t_absent", "no such database"),
    ("mysql://root@127.0.0.1:3306/vigie_t_absent", "no such database"),
    ("mysql://nobody_vigie:s3cret@127.0.0.1:3306/test", "authentication failed"),
    ("postgresql://postgres:s3cret@127.0.0.1:1/test", "cannot connect"),
    ("mysql://root:s3cret@127.0.0.1:3306", "names no database"),
])
def test_connection_errors_mask_the_password(url, reason):
    with pytest.raises(InputError) as err:
        open_database(url)
    assert reason in err.value.message
    assert "s3cret" not in str(err.value)
    if "s3cret" in url:
        assert "***" in err.value.path


def test_unsupported_scheme():
    with pytest.raises(InputError, match="unsupported database scheme"):
        open_database("oracle://u:s3cret@h/db")


def test_sqlite_url(tmp_path):
    import sqlite3
    path = tmp_path / "cabinet.db"
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE patients (id INTEGER PRIMARY KEY, nom TEXT);"
                      "INSERT INTO patients (nom) VALUES ('Zoé'), (NULL);")
    con.commit()
    con.close()
    tables = list(open_database(f"sqlite:///{path}").tables())
    assert [(t.name, t.rows) for t in tables] == [("patients", 2)]
    assert rows_of(tables[0]) == [{"id": "1", "nom": "Zoé"}, {"id": "2", "nom": None}]
    with pytest.raises(InputError, match="no such SQLite file"):
        open_database(f"sqlite:///{tmp_path / 'absent.db'}")
