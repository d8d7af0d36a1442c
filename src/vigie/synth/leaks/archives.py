"""Compressed leaks: a zip of a CSV and a JSON member, and a gzipped CSV.

Table names follow DESIGN.md: the member's file stem (`patients.csv` in the zip ->
`patients`; `patients_export.csv.gz` -> `patients_export`, the name of the CSV inside).
"""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pyarrow.compute as pc

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import shape, truth_builder
from vigie.synth.leaks.rows import (RESULT_MENTIONS, Col, birth_date, declare, patient_batches,
                                    render, string_schema, visit_batches, visit_date)
from vigie.synth.leaks.textfiles import CHUNK_BYTES, write_delimited, write_json

ZIP_PATIENT_COLUMNS = [
    Col("patient_id", "record_id", lambda r: r.p("patient_id")),
    Col("nom", "last_name", lambda r: r.p("last_name")),
    Col("prenom", "first_name", lambda r: r.p("first_name")),
    Col("date_naissance", "date_of_birth", birth_date("dd/mm/yyyy")),
    Col("nir", "nir", lambda r: nt.nir_text(r.p("nir"), "spaced")),
    Col("email", "email", lambda r: r.p("email")),
    Col("portable", "phone", lambda r: nt.phone_text(r.p("phone"), "dotted")),
    Col("code_postal", "postcode", lambda r: r.p("postcode")),
    Col("ville", "city", lambda r: r.p("city")),
]

ZIP_APPOINTMENT_COLUMNS = [
    Col("patient_id", "record_id", lambda r: r.v("patient_id")),
    Col("date", "event_date", visit_date("yyyy-mm-dd")),
    Col("motif", "diagnosis", lambda r: r.v("diagnosis"), mentions="diagnosis_mentions"),
    Col("traitement", "medication", lambda r: r.v("medication"), mentions="medication_mentions"),
    Col("medecin", "physician", lambda r: r.p("physician")),
]


@shape("zip", "zip archive of a patients.csv and a rendez_vous.json (NDJSON) member")
def zip_archive(pop, out_dir: Path, rng: random.Random) -> dict:
    gen = nt.numpy_rng(rng)
    truth = truth_builder(pop, "zip", "zip")
    members = [out_dir / "patients.csv", out_dir / "rendez_vous.json"]
    archive = out_dir / "export.zip"
    try:
        write_delimited(members[0], string_schema(ZIP_PATIENT_COLUMNS),
                        render(ZIP_PATIENT_COLUMNS, patient_batches(pop, gen),
                               declare(truth, "patients", ZIP_PATIENT_COLUMNS)), delimiter=",")
        write_json(members[1], string_schema(ZIP_APPOINTMENT_COLUMNS),
                   render(ZIP_APPOINTMENT_COLUMNS, visit_batches(pop, gen),
                          declare(truth, "rendez_vous", ZIP_APPOINTMENT_COLUMNS)), array=False)
        with zipfile.ZipFile(archive, "w") as zf:
            for member in members:
                # A fixed timestamp keeps the archive byte-identical for a given seed.
                info = zipfile.ZipInfo(member.name, date_time=(2024, 3, 14, 9, 30, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(member, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                    shutil.copyfileobj(src, dst, CHUNK_BYTES)
    finally:
        for member in members:
            member.unlink(missing_ok=True)
    truth.add_file(archive, out_dir)
    return truth.build()


GZIP_COLUMNS = [
    Col("nom", "last_name", lambda r: nt.upper(r.p("last_name"))),
    Col("prenom", "first_name", lambda r: r.p("first_name")),
    Col("date_naissance", "date_of_birth", birth_date("yyyy-mm-dd")),
    Col("num_secu", "nir", lambda r: r.p("nir")),
    Col("telephone", "phone", lambda r: r.p("phone")),
    Col("email", "email", lambda r: r.p("email")),
    Col("date_visite", "event_date", visit_date("yyyy-mm-dd")),
    Col("examens", "lab_test", lambda r: pc.replace_substring(r.v("lab_test"), "|", " + "),
        mentions="lab_test_mentions"),
    Col("resultats", "lab_result", lambda r: r.v("lab_result"), mentions=RESULT_MENTIONS),
]


@shape("gzip", "gzipped CSV export (.csv.gz): ',' UTF-8, one row per visit")
def gzip_csv(pop, out_dir: Path, rng: random.Random) -> dict:
    truth = truth_builder(pop, "gzip", "gzip")
    path = out_dir / "patients_export.csv.gz"
    write_delimited(path, string_schema(GZIP_COLUMNS),
                    render(GZIP_COLUMNS, visit_batches(pop, nt.numpy_rng(rng)),
                           declare(truth, "patients_export", GZIP_COLUMNS)),
                    delimiter=",", gzip=True)
    truth.add_file(path, out_dir)
    return truth.build()
