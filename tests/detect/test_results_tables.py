"""Results tables read as tables: a bare value column beside an exam and/or a unit column
is a lab result; the same shapes without exams or lab units stay `none`."""

import random

import duckdb

from vigie.detect.registry import classify_column
from vigie.detect.tables import UNIT_SQL, VALUE_SQL, lab_unit, read_as_table

draw = random.Random(8)
EXAMS = ["Hémoglobine", "Glycémie", "Créatinine", "CRP", "TSH", "Ferritine", "Sérologie VIH",
         "Kaliémie", "HbA1c", "β-HCG"]
UNITS = ["g/dL", "g/L", "µmol/L", "mg/L", "mUI/L", "µg/L", None, "mmol/L", "%", "UI/L"]


def values(n: int = 600) -> list[str]:
    out = []
    for _ in range(n):
        kind = draw.random()
        if kind < 0.1:
            out.append(draw.choice(["positif", "négatif", "Négatif", "<0,5", "> 90"]))
        else:
            out.append(f"{draw.uniform(0.1, 250):.{draw.choice((0, 1, 2))}f}".replace(".", ","))
    return out


def read(columns: dict[str | None, list]) -> dict[str, str]:
    names = list(columns)
    samples = [columns[n] for n in names]
    verdicts = read_as_table(names, samples, [classify_column(n, s) for n, s in zip(names, samples)])
    return {str(n): v.kind for n, v in zip(names, verdicts)}


def exam_rows(n: int = 600) -> tuple[list[str], list[str | None]]:
    picks = [draw.randrange(len(EXAMS)) for _ in range(n)]
    return [EXAMS[i] for i in picks], [UNITS[i] for i in picks]


def test_exam_value_unit_in_french_and_english():
    exams, units = exam_rows()
    assert read({"examen": exams, "valeur": values(), "unite": units}) == {
        "examen": "lab_test", "valeur": "lab_result", "unite": "lab_result"}
    assert read({"test_name": exams, "unit": units, "value": values()}) == {
        "test_name": "lab_test", "unit": "lab_result", "value": "lab_result"}


def test_a_value_column_next_to_the_exam_without_units():
    exams, _ = exam_rows()
    kinds = read({"id": [str(i) for i in range(600)], "code_analyse": exams, "res": values()})
    assert kinds["res"] == "lab_result"
    kinds = read({"libelle_examen": exams, "resultat_num": values(), "date": ["2024-01-02"] * 600})
    assert kinds["resultat_num"] == "lab_result"


def test_headerless_results_table():
    exams, units = exam_rows()
    assert read({None: exams, "column_2": values(), "column_3": units})["column_2"] == "lab_result"


def test_evidence_says_why():
    exams, units = exam_rows()
    names = ["examen", "valeur", "unite"]
    samples = [exams, values(), units]
    verdicts = read_as_table(names, samples, [classify_column(n, s) for n, s in zip(names, samples)])
    assert any("beside the exam column 'examen'" in line for line in verdicts[1].evidence)
    assert any("units in column 'unite'" in line for line in verdicts[1].evidence)
    assert any("units of the results in column 'valeur'" in line for line in verdicts[2].evidence)


def test_prices_counts_and_indicators_stay_none():
    # A workbook's summary sheet, a catalogue with its packaging unit, an exam order with
    # a number of tubes: numbers beside words that are not a results table.
    assert read({"indicateur": ["patients", "examens"] * 50,
                 "valeur": [str(draw.randrange(10, 90000)) for _ in range(100)]}) == {
        "indicateur": "none", "valeur": "none"}
    catalogue = read({"designation": ["Tube EDTA 4 mL", "Gants nitrile"] * 100,
                      "prix_ht": [f"{draw.uniform(1, 300):.2f}".replace(".", ",") for _ in range(200)],
                      "unite": ["boîte", "sachet", "unité", "carton"] * 50})
    assert set(catalogue.values()) == {"none"}
    exams, _ = exam_rows()
    order = read({"examen": exams, "nombre_tubes": [str(draw.randint(1, 4)) for _ in range(600)]})
    assert order["nombre_tubes"] == "none"
    shares = read({"mois": ["janvier", "février"] * 100,
                   "taux": [f"{draw.uniform(0, 40):.1f}".replace(".", ",") for _ in range(200)],
                   "unite": ["%"] * 200})
    assert set(shares.values()) == {"none"}


def test_sql_twins_agree_with_python():
    from vigie.detect.tables import _is_value

    cells = ["13,2", "<0,5", "1 840", "positif", "Négatif", "abc", "12/03/2024", "g/dL",
             "mmol/L", "µmol/L", "boîte", "%", ""]
    con = duckdb.connect()
    got_values = [bool(r[0]) for r in con.execute(
        f"SELECT coalesce({VALUE_SQL.replace('{col}', 'v')}, false) FROM unnest(?::VARCHAR[]) t(v)",
        [cells]).fetchall()]
    got_units = [bool(r[0]) for r in con.execute(
        f"SELECT {UNIT_SQL.replace('{col}', 'v')} FROM unnest(?::VARCHAR[]) t(v)",
        [cells]).fetchall()]
    assert got_values == [_is_value(c) for c in cells]
    assert got_units == [lab_unit(c) is not None for c in cells]


def test_row_numbers_are_not_results():
    # "result_id" names a result and an id: distinct integers are the id.
    ids = [str(i) for i in random.Random(1).sample(range(1, 4000), 1000)]
    assert classify_column("result_id", ids).kind == "record_id"
    exams, units = exam_rows(1000)
    assert read({"line": ids, "examen": exams, "valeur": values(1000), "unite": units})["line"] \
        in ("record_id", "none")
