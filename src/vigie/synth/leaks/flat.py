"""Flat delimited exports of labs and clinics: one file, one row per visit.

Each shape renders the same population the way a different system writes it: a lab
information system's cp1252 ';' extraction with French abbreviated headers, a clinic's
latin-1 TSV, a headerless '|' interface file, an appointment tool's UTF-8 export with BOM.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import shape, truth_builder
from vigie.synth.leaks.rows import (RESULT_MENTIONS, Col, Rows, birth_date, declare, render,
                                    string_schema, visit_batches, visit_date)
from vigie.synth.leaks.textfiles import write_delimited


def patient(name: str):
    """Renderer of a patients column as stored."""
    return lambda rows: rows.p(name)


def visit(name: str):
    """Renderer of a visits column as stored."""
    return lambda rows: rows.v(name)


def birth_name_if_different(rows: Rows) -> pa.Array:
    """NOM_JF as lab systems fill it: only when it differs from the usage name."""
    birth, usage = rows.p("birth_name"), rows.p("last_name")
    return nt.blank_where(nt.legacy_name(birth), pc.fill_null(pc.equal(birth, usage), True))


def mixed_phone(weights: dict[str, float]):
    return lambda rows: nt.mix(rows.gen, [nt.phone_text(rows.p("phone"), s) for s in weights],
                               list(weights.values()))


def mixed_nir(weights: dict[str, float]):
    return lambda rows: nt.mix(rows.gen, [nt.nir_text(rows.p("nir"), s) for s in weights],
                               list(weights.values()))


def write_flat(pop, out_dir: Path, rng: random.Random, *, shape_name: str, file_name: str,
               table_name: str, cols: list[Col], **text_options) -> dict:
    """One delimited file, one row per visit, and its truth."""
    truth = truth_builder(pop, shape_name, "csv")
    table = declare(truth, table_name, cols)
    path = out_dir / file_name
    batches = render(cols, visit_batches(pop, nt.numpy_rng(rng)), table)
    write_delimited(path, string_schema(cols), batches, **text_options)
    truth.add_file(path, out_dir)
    return truth.build()


LAB_COLUMNS = [
    Col("NOM", "last_name", lambda r: nt.legacy_name(r.p("last_name"))),
    Col("PRENOM", "first_name", lambda r: nt.legacy_name(r.p("first_name"))),
    Col("NOM_JF", "birth_name", birth_name_if_different),
    Col("DDN", "date_of_birth", birth_date("dd/mm/yyyy")),
    Col("SEXE", "sex", patient("sex")),
    Col("NSS", "nir", mixed_nir({"spaced": 5, "compact": 4, "key_apart": 1})),
    Col("ADRESSE", "address", lambda r: nt.legacy_name(r.p("address"))),
    Col("CP", "postcode", patient("postcode")),
    Col("VILLE", "city", lambda r: nt.legacy_name(r.p("city"))),
    Col("TEL", "phone", mixed_phone({"spaced": 6, "compact": 2.5, "dotted": 1.5})),
    Col("MAIL", "email", lambda r: pc.utf8_lower(r.p("email"))),
    Col("MUTUELLE", "insurer", lambda r: nt.legacy_name(r.p("insurer"))),
    Col("NUM_ADH", "insurance_number", patient("insurance_number")),
    Col("GRP", "blood_group", patient("blood_group")),
    Col("MEDECIN", "physician", lambda r: nt.legacy_name(r.p("physician"))),
    Col("DATE_PRELEV", "event_date", visit_date("dd/mm/yyyy")),
    Col("ANALYSES", "lab_test", visit("lab_test"), mentions="lab_test_mentions"),
    Col("RESULTATS", "lab_result", visit("lab_result"), mentions=RESULT_MENTIONS),
    Col("COMMENTAIRE", "medical_free_text", lambda r: nt.single_line(r.v("note")),
        mentions="note_mentions"),
]


@shape("lab-semicolon", "lab information system extraction: ';' .txt, cp1252, CRLF, "
       "French abbreviated headers, one row per sample")
def lab_semicolon(pop, out_dir: Path, rng: random.Random) -> dict:
    return write_flat(pop, out_dir, rng, shape_name="lab-semicolon", file_name="export_labo.txt",
                      table_name="export_labo", cols=LAB_COLUMNS, delimiter=";",
                      encoding="cp1252", crlf=True)


def sex_word(rows: Rows) -> pa.Array:
    return pc.if_else(pc.equal(rows.p("sex"), "F"), "Femme", "Homme")


CLINIC_COLUMNS = [
    Col("Nom", "last_name", patient("last_name")),
    Col("Prénom", "first_name", patient("first_name")),
    Col("Date de naissance", "date_of_birth",
        birth_date("dd/mm/yyyy")),
    Col("Sexe", "sex", sex_word),
    Col("N° Sécu", "nir", mixed_nir({"spaced": 8, "compact": 2})),
    Col("Adresse", "address", patient("address")),
    Col("Code postal", "postcode", patient("postcode")),
    Col("Ville", "city", patient("city")),
    Col("Téléphone", "phone", mixed_phone({"dotted": 5, "spaced": 5})),
    Col("Médecin traitant", "physician", patient("physician")),
    Col("Date consultation", "event_date",
        visit_date("dd/mm/yyyy")),
    Col("Diagnostic", "diagnosis", visit("diagnosis"), mentions="diagnosis_mentions"),
    Col("Traitement", "medication", visit("medication"), mentions="medication_mentions"),
]


@shape("tab-latin1", "clinic consultation export: TSV, latin-1, French headers with accents")
def tab_latin1(pop, out_dir: Path, rng: random.Random) -> dict:
    return write_flat(pop, out_dir, rng, shape_name="tab-latin1", file_name="consultations.tsv",
                      table_name="consultations", cols=CLINIC_COLUMNS, delimiter="\t",
                      encoding="latin-1")


def headerless(kinds_and_renderers: list[tuple[str, Callable[[Rows], pa.Array]]],
               **mentions) -> list[Col]:
    """Columns of a file without header: named column_1..column_N (position 0-based)."""
    return [Col(f"column_{i}", kind, fn, mentions.get(f"column_{i}"))
            for i, (kind, fn) in enumerate(kinds_and_renderers, start=1)]


PIPE_COLUMNS = headerless([
    ("record_id", patient("patient_id")),
    ("last_name", lambda r: nt.legacy_name(r.p("last_name"))),
    ("first_name", lambda r: nt.legacy_name(r.p("first_name"))),
    ("date_of_birth", birth_date("yyyymmdd")),
    ("sex", lambda r: pc.if_else(pc.equal(r.p("sex"), "F"), "2", "1")),
    ("nir", patient("nir")),
    ("postcode", patient("postcode")),
    ("phone", patient("phone")),
    ("event_date", visit_date("yyyymmdd")),
    # The interface reserves '|': its exam list uses ','.
    ("lab_test", lambda r: pc.replace_substring(r.v("lab_test"), "|", ",")),
], column_10="lab_test_mentions")


@shape("pipe-noheader", "legacy interface file: '|' delimited, no header, compact values")
def pipe_noheader(pop, out_dir: Path, rng: random.Random) -> dict:
    return write_flat(pop, out_dir, rng, shape_name="pipe-noheader", file_name="extract_pat.txt",
                      table_name="extract_pat", cols=PIPE_COLUMNS, delimiter="|", header=False)


def appointment_time(rows: Rows) -> pa.Array:
    """'dd/mm/yyyy HH:MM' on the quarter hour between 08:00 and 18:45."""
    minutes = rows.gen.integers(8 * 4, 19 * 4, size=len(rows)) * 15
    stamps = pc.add(pc.cast(rows.v("visit_date"), pa.timestamp("s")),
                    pa.array(minutes * 60, pa.duration("s")))
    return nt.timestamp_text(stamps, "%d/%m/%Y %H:%M")


BOOKING_COLUMNS = [
    Col("Civilité", "sex", lambda r: pc.if_else(pc.equal(r.p("sex"), "F"), "Mme", "M.")),
    Col("Nom", "last_name", patient("last_name")),
    Col("Prénom", "first_name", patient("first_name")),
    Col("Nom de naissance", "birth_name", patient("birth_name")),
    Col("Date de naissance", "date_of_birth",
        birth_date("dd/mm/yyyy")),
    Col("Email", "email", patient("email")),
    Col("Téléphone", "phone", mixed_phone({"intl": 7, "spaced": 3})),
    Col("Adresse", "address", patient("address")),
    Col("Code postal", "postcode", patient("postcode")),
    Col("Ville", "city", patient("city")),
    Col("Date du rendez-vous", "event_date", appointment_time),
    Col("Praticien", "physician", patient("physician")),
    Col("Motif", "diagnosis", visit("diagnosis"), mentions="diagnosis_mentions"),
]


@shape("utf8-bom", "appointment booking export: ';' UTF-8 with BOM, one row per appointment")
def utf8_bom(pop, out_dir: Path, rng: random.Random) -> dict:
    return write_flat(pop, out_dir, rng, shape_name="utf8-bom", file_name="rendez-vous.csv",
                      table_name="rendez-vous", cols=BOOKING_COLUMNS, delimiter=";", bom=True)
