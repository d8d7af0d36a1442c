"""SQL-dump leaks made by the real servers: `mysqldump` (an appointment-booking app on
MariaDB) and `pgdump` (a laboratory information system on PostgreSQL).

A dump written by hand would only test our idea of the format; these load the
population into a fresh temporary database on the local server (LOAD DATA LOCAL
INFILE, COPY), run the server's own `mysqldump` / `pg_dump` binary into the
output folder, and drop the database, so the leak has every quirk the real tools have
(MariaDB's sandbox line, extended INSERTs, escapes, pg_dump's \\restrict lines, COPY).
"""

from __future__ import annotations

import os
import random
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict

import pyarrow as pa
import pyarrow.compute as pc

from vigie.errors import VigieError
from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import TableTruth, shape, truth_builder
from vigie.synth.leaks.rows import (Col, declare, patient_batches, render, result_item_batches,
                                    visit_batches)
from vigie.synth.leaks.sqlitedb import patient_key


class _Server(TypedDict):
    """A local server's address, as pymysql.connect and psycopg.connect take it."""

    host: str
    port: int
    user: str


MARIADB: _Server = {"host": os.environ.get("VIGIE_MARIADB_HOST", "127.0.0.1"),
                    "port": int(os.environ.get("VIGIE_MARIADB_PORT", "3306")),
                    "user": os.environ.get("VIGIE_MARIADB_USER", "root")}
POSTGRES: _Server = {"host": os.environ.get("VIGIE_POSTGRES_HOST", "127.0.0.1"),
                     "port": int(os.environ.get("VIGIE_POSTGRES_PORT", "5432")),
                     "user": os.environ.get("VIGIE_POSTGRES_USER", "postgres")}


def _record_id(rows) -> pa.Array:
    return pa.array(rows.positions() + 1)


# --- mysqldump: the appointment-booking app (English column names, as such apps have)
BOOKING_PATIENTS = [
    Col("id", "record_id", _record_id),
    Col("lastname", "last_name", lambda r: r.p("last_name")),
    Col("firstname", "first_name", lambda r: r.p("first_name")),
    Col("birthname", "birth_name", lambda r: r.p("birth_name")),
    Col("gender", "sex", lambda r: r.p("sex")),
    Col("birthdate", "date_of_birth", lambda r: r.p("date_of_birth")),
    Col("social_security_number", "nir", lambda r: r.p("nir")),
    Col("street", "address", lambda r: r.p("address")),
    Col("zipcode", "postcode", lambda r: r.p("postcode")),
    Col("city", "city", lambda r: r.p("city")),
    Col("mobile", "phone", lambda r: r.p("phone")),
    Col("email", "email", lambda r: r.p("email")),
    Col("insurance_name", "insurer", lambda r: r.p("insurer")),
]
BOOKING_APPOINTMENTS = [
    Col("id", "record_id", _record_id),
    Col("patient_id", "record_id", patient_key),
    Col("start_date", "event_date", lambda r: r.v("visit_date")),
    Col("practitioner", "physician", lambda r: r.p("physician")),
    # What the patient booked: mostly "Prise de sang", "Test PCR"; for some "Suivi VIH -
    # charge virale", "Bilan grossesse (1er trimestre)".
    Col("reason", "lab_test", lambda r: r.v("reason"), mentions="reason_mentions"),
    Col("internal_note", "medical_free_text", lambda r: r.v("note"), mentions="note_mentions"),
]
BOOKING_SCHEMA = [
    """CREATE TABLE patients (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, lastname VARCHAR(100) NOT NULL,
      firstname VARCHAR(100) NOT NULL, birthname VARCHAR(100), gender CHAR(1),
      birthdate DATE, social_security_number CHAR(15), street VARCHAR(255),
      zipcode VARCHAR(10), city VARCHAR(100), mobile VARCHAR(20), email VARCHAR(255),
      insurance_name VARCHAR(100)) DEFAULT CHARSET=utf8mb4""",
    """CREATE TABLE appointments (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, patient_id INT NOT NULL,
      start_date DATE NOT NULL, practitioner VARCHAR(255), reason VARCHAR(255),
      internal_note TEXT, KEY (patient_id),
      CONSTRAINT fk_patient FOREIGN KEY (patient_id) REFERENCES patients (id))
      DEFAULT CHARSET=utf8mb4""",
]

# --- pg_dump: the laboratory information system (French column names)
LAB_PATIENTS = [
    Col("id", "record_id", _record_id),
    Col("nom", "last_name", lambda r: r.p("last_name")),
    Col("prenom", "first_name", lambda r: r.p("first_name")),
    Col("nom_naissance", "birth_name", lambda r: r.p("birth_name")),
    Col("sexe", "sex", lambda r: r.p("sex")),
    Col("date_naissance", "date_of_birth", lambda r: r.p("date_of_birth")),
    Col("nir", "nir", lambda r: r.p("nir")),
    Col("adresse", "address", lambda r: r.p("address")),
    Col("code_postal", "postcode", lambda r: r.p("postcode")),
    Col("ville", "city", lambda r: r.p("city")),
    Col("telephone", "phone", lambda r: r.p("phone")),
    Col("mutuelle", "insurer", lambda r: r.p("insurer")),
    Col("numero_adherent", "insurance_number", lambda r: r.p("insurance_number")),
    Col("groupe_sanguin", "blood_group", lambda r: r.p("blood_group")),
]
LAB_RESULTS = [
    Col("id", "record_id", _record_id),
    Col("patient_id", "record_id", patient_key),
    Col("date_prelevement", "event_date", lambda r: r.v("visit_date")),
    Col("prescripteur", "physician", lambda r: r.p("physician")),
    Col("examens", "lab_test", lambda r: r.v("lab_test"), mentions="lab_test_mentions"),
    Col("resultats", "lab_result", lambda r: r.v("lab_result")),
    Col("diagnostic", "diagnosis", lambda r: r.v("diagnosis"), mentions="diagnosis_mentions"),
    Col("traitement", "medication", lambda r: r.v("medication"), mentions="medication_mentions"),
    Col("commentaire", "medical_free_text", lambda r: r.v("note"), mentions="note_mentions"),
]
# The same results one measure per row (a long results table): exam, value alone, unit.
LAB_ANALYSES = [
    Col("id", "record_id", _record_id),
    Col("patient_id", "record_id", patient_key),
    Col("examen", "lab_test", lambda r: r.v("exam"), mentions="exam_mentions"),
    Col("valeur", "lab_result", lambda r: r.v("value")),
    Col("unite", "lab_result", lambda r: r.v("unit")),
]
LAB_SCHEMA = """
CREATE TABLE patients (
  id integer PRIMARY KEY, nom text NOT NULL, prenom text NOT NULL, nom_naissance text,
  sexe char(1), date_naissance date, nir char(15), adresse text, code_postal varchar(10),
  ville text, telephone varchar(20), mutuelle text, numero_adherent text,
  groupe_sanguin varchar(3));
CREATE TABLE resultats (
  id integer PRIMARY KEY, patient_id integer NOT NULL REFERENCES patients (id),
  date_prelevement date NOT NULL, prescripteur text, examens text, resultats text,
  diagnostic text, traitement text, commentaire text);
CREATE INDEX resultats_patient ON resultats (patient_id);
CREATE TABLE analyses (
  id integer PRIMARY KEY, patient_id integer NOT NULL REFERENCES patients (id),
  examen text NOT NULL, valeur text, unite varchar(20));
"""


def _text_lines(cols: list[Col], batches, truth: TableTruth) -> Iterator[bytes]:
    """Each rendered batch as tab-separated lines in the text format that both MariaDB's
    LOAD DATA and PostgreSQL's COPY read (backslash escapes, \\N for null), built with
    Arrow compute: bulk loading, without a Python escape call per value."""
    for batch in render(cols, batches, truth):
        columns = []
        for column in batch.columns:
            for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
                column = pc.replace_substring(column, char, escaped)
            columns.append(pc.fill_null(column, "\\N"))
        lines = pc.binary_join_element_wise(*columns, "\t")
        yield ("\n".join(lines.to_pylist()) + "\n").encode("utf-8")


def _temp_name(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def _run_dump(argv: list[str], env: dict | None = None) -> None:
    if shutil.which(argv[0]) is None:
        raise VigieError(f"this shape needs the {argv[0]} program of the database server")
    done = subprocess.run(argv, capture_output=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise VigieError(f"{argv[0]} failed (exit {done.returncode})")


@shape("mysqldump", "appointment-booking app on MariaDB, dumped by the real mysqldump: "
       "patients and appointments (patient_id foreign key, the booked reason), extended INSERTs")
def mysqldump(pop, out_dir: Path, rng: random.Random) -> dict:
    import pymysql

    gen = nt.numpy_rng(rng)
    truth = truth_builder(pop, "mysqldump", "mysqldump")
    database = _temp_name("vigie_synth_rdv")
    try:
        conn = pymysql.connect(charset="utf8mb4", autocommit=False, local_infile=True,
                               **MARIADB)
    except pymysql.MySQLError:
        raise VigieError(f"the mysqldump shape needs the MariaDB server at "
                         f"{MARIADB['host']}:{MARIADB['port']}: cannot connect") from None
    path = out_dir / "rdv_dump.sql"
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
            cur.execute(f"USE `{database}`")
            for ddl in BOOKING_SCHEMA:
                cur.execute(ddl)
            for table, cols, batches in (
                    ("patients", BOOKING_PATIENTS, patient_batches(pop, gen)),
                    ("appointments", BOOKING_APPOINTMENTS, visit_batches(pop, gen))):
                load = (f"LOAD DATA LOCAL INFILE %s INTO TABLE {table} CHARACTER SET utf8mb4 "
                        f"({', '.join(c.name for c in cols)})")
                for block in _text_lines(cols, batches, declare(truth, table, cols)):
                    with tempfile.NamedTemporaryFile(dir=out_dir, suffix=".tsv") as rows:
                        rows.write(block)
                        rows.flush()
                        cur.execute(load, (rows.name,))
            conn.commit()
        _run_dump(["mysqldump", "-h", MARIADB["host"], "-P", str(MARIADB["port"]),
                   "-u", MARIADB["user"], "--result-file", str(path), database])
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
        conn.close()
    truth.add_file(path, out_dir)
    return truth.build()


@shape("pgdump", "laboratory information system on PostgreSQL, dumped by the real pg_dump: "
       "patients, resultats and analyses (exam, value, unit; patient_id foreign keys), COPY blocks")
def pgdump(pop, out_dir: Path, rng: random.Random) -> dict:
    import psycopg

    gen = nt.numpy_rng(rng)
    truth = truth_builder(pop, "pgdump", "pgdump")
    database = _temp_name("vigie_synth_labo")
    try:
        admin = psycopg.connect(**POSTGRES, dbname="postgres", autocommit=True)
    except psycopg.Error:
        raise VigieError(f"the pgdump shape needs the PostgreSQL server at "
                         f"{POSTGRES['host']}:{POSTGRES['port']}: cannot connect") from None
    path = out_dir / "labo_dump.sql"
    try:
        admin.execute(f'CREATE DATABASE "{database}" ENCODING \'UTF8\' TEMPLATE template0')
        with psycopg.connect(**POSTGRES, dbname=database) as conn:
            conn.execute(LAB_SCHEMA)
            for table, cols, batches in (("patients", LAB_PATIENTS, patient_batches(pop, gen)),
                                         ("resultats", LAB_RESULTS, visit_batches(pop, gen)),
                                         ("analyses", LAB_ANALYSES, result_item_batches(pop, gen))):
                copy_sql = f"COPY {table} ({', '.join(c.name for c in cols)}) FROM STDIN"
                with conn.cursor().copy(copy_sql) as copy:
                    for block in _text_lines(cols, batches, declare(truth, table, cols)):
                        copy.write(block)
        env = dict(os.environ, PGCONNECT_TIMEOUT="10")
        _run_dump(["pg_dump", "-h", POSTGRES["host"], "-p", str(POSTGRES["port"]),
                   "-U", POSTGRES["user"], "-f", str(path), database], env=env)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
    truth.add_file(path, out_dir)
    return truth.build()
