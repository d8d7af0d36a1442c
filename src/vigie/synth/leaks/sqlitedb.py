"""A SQLite database leak: the file a small practice-management app keeps its data in.

Tables `patients` (integer primary key) and `visits` whose `patient_id` is a foreign key
to patients.id. Written with the standard library's sqlite3 in batched executemany
inside one transaction.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import TableTruth, shape, truth_builder
from vigie.synth.leaks.rows import (RESULT_MENTIONS, Col, Rows, birth_date, declare,
                                    patient_batches, render, value_rows, visit_batches,
                                    visit_date)


def patient_key(rows: Rows) -> pa.Array:
    """visits.patient_id: the app's integer key of the visit's patient (its row + 1)."""
    return pc.add(pc.cast(rows.patient_rows, pa.int64()), 1)


PATIENT_COLUMNS = [
    Col("id", "record_id", lambda r: pa.array(r.positions() + 1)),
    Col("nom", "last_name", lambda r: r.p("last_name")),
    Col("prenom", "first_name", lambda r: r.p("first_name")),
    Col("nom_naissance", "birth_name", lambda r: r.p("birth_name")),
    Col("sexe", "sex", lambda r: r.p("sex")),
    Col("date_naissance", "date_of_birth", birth_date("yyyy-mm-dd")),
    Col("lieu_naissance", "place_of_birth", lambda r: r.p("birth_place")),
    Col("nir", "nir", lambda r: r.p("nir")),
    Col("adresse", "address", lambda r: r.p("address")),
    Col("code_postal", "postcode", lambda r: r.p("postcode")),
    Col("ville", "city", lambda r: r.p("city")),
    Col("telephone", "phone", lambda r: r.p("phone")),
    Col("email", "email", lambda r: r.p("email")),
    Col("mutuelle", "insurer", lambda r: r.p("insurer")),
    Col("numero_adherent", "insurance_number", lambda r: r.p("insurance_number")),
    Col("groupe_sanguin", "blood_group", lambda r: r.p("blood_group")),
    Col("medecin_traitant", "physician", lambda r: r.p("physician")),
    Col("rpps_medecin", "physician", lambda r: r.p("physician_rpps")),
    Col("iban", "iban", lambda r: r.p("iban")),
]

VISIT_COLUMNS = [
    Col("id", "record_id", lambda r: pa.array(r.positions() + 1)),
    Col("patient_id", "record_id", patient_key),
    Col("date_visite", "event_date", visit_date("yyyy-mm-dd")),
    Col("examens", "lab_test", lambda r: r.v("lab_test"), mentions="lab_test_mentions"),
    Col("resultats", "lab_result", lambda r: r.v("lab_result"), mentions=RESULT_MENTIONS),
    Col("diagnostic", "diagnosis", lambda r: r.v("diagnosis"), mentions="diagnosis_mentions"),
    Col("traitement", "medication", lambda r: r.v("medication"), mentions="medication_mentions"),
    Col("observations", "medical_free_text", lambda r: r.v("note"), mentions="note_mentions"),
]

SCHEMA = """
CREATE TABLE patients (
  id INTEGER PRIMARY KEY, nom TEXT NOT NULL, prenom TEXT NOT NULL, nom_naissance TEXT,
  sexe TEXT, date_naissance TEXT, lieu_naissance TEXT, nir TEXT, adresse TEXT,
  code_postal TEXT, ville TEXT, telephone TEXT, email TEXT, mutuelle TEXT,
  numero_adherent TEXT, groupe_sanguin TEXT, medecin_traitant TEXT, rpps_medecin TEXT,
  iban TEXT);
CREATE TABLE visits (
  id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patients(id),
  date_visite TEXT, examens TEXT, resultats TEXT, diagnostic TEXT, traitement TEXT,
  observations TEXT);
CREATE INDEX visits_patient ON visits(patient_id);
"""


def insert(con: sqlite3.Connection, table: str, cols: list[Col], batches,
           truth: TableTruth) -> None:
    placeholders = ", ".join("?" for _ in cols)
    sql = f"INSERT INTO {table} ({', '.join(c.name for c in cols)}) VALUES ({placeholders})"
    for batch in render(cols, batches, truth, as_text=False):
        con.executemany(sql, value_rows(batch))


@shape("sqlite", "practice-management app database (.sqlite): patients and visits tables, "
       "visits.patient_id a foreign key to patients.id")
def sqlite(pop, out_dir: Path, rng: random.Random) -> dict:
    gen = nt.numpy_rng(rng)
    truth = truth_builder(pop, "sqlite", "sqlite")
    path = out_dir / "cabinet.sqlite"
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        con.executescript(SCHEMA)
        insert(con, "patients", PATIENT_COLUMNS, patient_batches(pop, gen),
               declare(truth, "patients", PATIENT_COLUMNS))
        insert(con, "visits", VISIT_COLUMNS, visit_batches(pop, gen),
               declare(truth, "visits", VISIT_COLUMNS))
        con.commit()
    finally:
        con.close()
    truth.add_file(path, out_dir)
    return truth.build()
