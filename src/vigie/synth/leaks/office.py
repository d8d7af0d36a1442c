"""A spreadsheet leak: the workbook a secretary exports from the patient-file software.

Sheets `patients` (one row per patient) and `resultats` (one row per exam visit, with a
"Résultat sérologie" column empty on most rows), real date cells, and a `synthese` sheet
whose cells are formulas with cached values: a reader must take the cached value (or the
formula text), never evaluate it. Written with xlsxwriter in constant-memory mode (rows
flushed as written). A sheet holds at most 1,048,575 data rows (Excel's limit): longer
tables spill to `<name>_2`, `<name>_3`... each its own table in the truth.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from pathlib import Path

import pyarrow.compute as pc
import xlsxwriter

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import TruthBuilder, shape, truth_builder
from vigie.synth.leaks.rows import (RESULT_MENTIONS, Col, Rows, declare, patient_batches, render,
                                    value_rows, visit_batches)

SHEET_ROWS = 1_048_575


def write_sheets(workbook, truth: TruthBuilder, base_name: str, cols: list[Col],
                 batches: Iterable[Rows]) -> list[tuple[str, int]]:
    """Write the rows into as many sheets as needed; returns (sheet name, data rows)."""
    sheets: list[tuple[str, int]] = []
    sheet = table = None
    row = SHEET_ROWS
    for rows in batches:
        offset = 0
        while offset < len(rows):
            if row == SHEET_ROWS:
                if table is not None:
                    sheets.append((table.name, table.rows))
                name = base_name if table is None else f"{base_name}_{len(sheets) + 1}"
                sheet = workbook.add_worksheet(name)
                sheet.write_row(0, 0, [c.name for c in cols])
                table = declare(truth, name, cols)
                row = 0
            assert sheet is not None and table is not None, "row starts full: a sheet is open"
            take = min(len(rows) - offset, SHEET_ROWS - row)
            for batch in render(cols, [rows.slice(offset, take)], table, as_text=False):
                for values in value_rows(batch):
                    row += 1
                    sheet.write_row(row, 0, values)
            offset += take
    if table is not None:
        sheets.append((table.name, table.rows))
    return sheets


PATIENT_COLUMNS = [
    Col("N° dossier", "record_id", lambda r: r.p("patient_id")),
    Col("Nom", "last_name", lambda r: nt.upper(r.p("last_name"))),
    Col("Prénom", "first_name", lambda r: r.p("first_name")),
    Col("Nom de naissance", "birth_name", lambda r: nt.upper(r.p("birth_name"))),
    Col("Sexe", "sex", lambda r: r.p("sex")),
    Col("Date de naissance", "date_of_birth", lambda r: r.p("date_of_birth")),
    Col("Lieu de naissance", "place_of_birth", lambda r: r.p("birth_place")),
    Col("NIR", "nir", lambda r: nt.nir_text(r.p("nir"), "spaced")),
    Col("Adresse", "address", lambda r: r.p("address")),
    Col("CP", "postcode", lambda r: r.p("postcode")),
    Col("Ville", "city", lambda r: nt.upper(r.p("city"))),
    Col("Téléphone", "phone", lambda r: nt.phone_text(r.p("phone"), "spaced")),
    Col("Email", "email", lambda r: r.p("email")),
    Col("Mutuelle", "insurer", lambda r: r.p("insurer")),
    Col("N° adhérent", "insurance_number", lambda r: r.p("insurance_number")),
    Col("Groupe sanguin", "blood_group", lambda r: r.p("blood_group")),
    Col("Médecin traitant", "physician", lambda r: r.p("physician")),
]

RESULT_COLUMNS = [
    Col("N° dossier", "record_id", lambda r: r.v("patient_id")),
    Col("Date", "event_date", lambda r: r.v("visit_date")),
    Col("Examens", "lab_test", lambda r: pc.replace_substring(r.v("lab_test"), "|", ", "),
        mentions="lab_test_mentions"),
    Col("Résultats", "lab_result", lambda r: r.v("lab_result"), mentions=RESULT_MENTIONS),
    # Empty on most rows: "Toxo immunisée", "VIH négatif" where the visit had a serology.
    Col("Résultat sérologie", "lab_result", lambda r: r.v("serology"),
        mentions="serology_mentions"),
    Col("Conclusion", "medical_free_text", lambda r: r.v("note"), mentions="note_mentions"),
]


@shape("excel", "patient-file workbook (.xlsx): sheets patients and resultats with date "
       "cells and a sparse serology column, and a synthese sheet of formulas never to evaluate")
def excel(pop, out_dir: Path, rng: random.Random) -> dict:
    gen = nt.numpy_rng(rng)
    truth = truth_builder(pop, "excel", "excel")
    path = out_dir / "dossiers_patients.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                               "default_date_format": "dd/mm/yyyy",
                                               "strings_to_formulas": False,
                                               "strings_to_numbers": False,
                                               "strings_to_urls": False})
    # A fixed creation date keeps the workbook byte-identical for a given seed.
    workbook.set_properties({"created": datetime.datetime(2024, 3, 14, 9, 30)})
    try:
        patients = write_sheets(workbook, truth, "patients", PATIENT_COLUMNS,
                                patient_batches(pop, gen))
        results = write_sheets(workbook, truth, "resultats", RESULT_COLUMNS,
                               visit_batches(pop, gen))
        summary = workbook.add_worksheet("synthese")
        summary.write_row(0, 0, ["indicateur", "valeur"])
        summary.write_string(1, 0, "patients")
        summary.write_formula(1, 1, f"=COUNTA('{patients[0][0]}'!A:A)-1", None, patients[0][1])
        summary.write_string(2, 0, "examens")
        summary.write_formula(2, 1, f"=COUNTA('{results[0][0]}'!A:A)-1", None, results[0][1])
        truth.table("synthese", [("indicateur", "none"), ("valeur", "none")]).add_rows(2)
    finally:
        workbook.close()
    truth.add_file(path, out_dir)
    return truth.build()
