"""The messy one: a front-desk spreadsheet saved as CSV after years of manual entry.

Every value notation mixed row by row (dates dd/mm/yyyy, yyyy-mm-dd, dd-mm-yy; phones in
every notation; NIRs compact, spaced, lower-case Corsican letters), names typed either
way round, notes with line breaks inside quoted fields, and ragged rows: trailing empty
fields are dropped, as spreadsheet macros do, so short rows have fewer delimiters.
DuckDB cannot write ragged rows, so this writer uses the csv module row by row (the
only writer that loops in Python; it is the smallest shape).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks.base import shape, truth_builder
from vigie.synth.leaks.rows import Col, Rows, declare, render, value_rows, visit_batches


def full_names(rows: Rows) -> pa.Array:
    first, last = rows.p("first_name"), rows.p("last_name")
    return nt.mix(rows.gen, [
        pc.binary_join_element_wise(nt.upper(last), first, " "),
        pc.binary_join_element_wise(first, last, " "),
        pc.utf8_lower(pc.binary_join_element_wise(last, first, " ")),
    ], [5, 3, 2])


def mixed_dates(column: str, table: str):
    def render_dates(rows: Rows) -> pa.Array:
        values = rows.p(column) if table == "patients" else rows.v(column)
        return nt.mix(rows.gen, [nt.date_text(values, f)
                                 for f in ("dd/mm/yyyy", "yyyy-mm-dd", "dd-mm-yy")], [6, 2, 2])
    return render_dates


def any_phone(rows: Rows) -> pa.Array:
    styles = ["spaced", "intl", "dotted", "compact", "dashed", "e164"]
    return nt.mix(rows.gen, [nt.phone_text(rows.p("phone"), s) for s in styles],
                  [4, 2, 2, 2, 1, 1])


def any_nir(rows: Rows) -> pa.Array:
    styles = ["spaced", "compact", "key_apart", "lower"]
    return nt.mix(rows.gen, [nt.nir_text(rows.p("nir"), s) for s in styles], [4, 4, 1, 1])


def notes_with_breaks(rows: Rows) -> pa.Array:
    """About a third of the notes typed over two lines (a line break inside the field)."""
    note = rows.v("note")
    broken = pc.replace_substring_regex(note, r"([.,;]) ", "\\1\n", max_replacements=1)
    return nt.mix(rows.gen, [note, broken], [2, 1])


MESSY_COLUMNS = [
    Col("Nom Prénom", "full_name", full_names),
    Col("Né(e) le", "date_of_birth", mixed_dates("date_of_birth", "patients")),
    Col("N°SS", "nir", any_nir),
    Col("Tél", "phone", any_phone),
    Col("Email", "email", lambda r: r.p("email")),
    Col("CP", "postcode", lambda r: r.p("postcode")),
    Col("Ville", "city", lambda r: nt.mix(r.gen, [r.p("city"), nt.upper(r.p("city"))], [1, 1])),
    Col("Date visite", "event_date", mixed_dates("visit_date", "visits")),
    Col("Commentaire", "medical_free_text", notes_with_breaks, mentions="note_mentions"),
    Col("Mutuelle", "insurer", lambda r: r.p("insurer")),
]


@shape("messy", "front-desk CSV: mixed date/phone/NIR notations, multi-line quoted notes, "
       "ragged rows (trailing empty fields dropped)")
def messy(pop, out_dir: Path, rng: random.Random) -> dict:
    truth = truth_builder(pop, "messy", "csv")
    table = declare(truth, "saisie_accueil", MESSY_COLUMNS)
    path = out_dir / "saisie_accueil.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=",", lineterminator="\n")
        writer.writerow([c.name for c in MESSY_COLUMNS])
        for batch in render(MESSY_COLUMNS, visit_batches(pop, nt.numpy_rng(rng)), table):
            for values in value_rows(batch):
                end = len(values)
                while end > 1 and values[end - 1] is None:
                    end -= 1
                writer.writerow(values[:end])
    truth.add_file(path, out_dir)
    return truth.build()
