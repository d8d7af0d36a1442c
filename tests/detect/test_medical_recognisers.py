"""The five medical recognisers, value by value and on whole columns through the registry,
and their SQL twins in DuckDB agreeing with Python."""

import duckdb
import pytest

from vigie.detect.registry import classify_column
from vigie.detect.recognisers.diagnosis import Diagnosis
from vigie.detect.recognisers.lab_result import LabResult
from vigie.detect.recognisers.lab_test import LabTest
from vigie.detect.recognisers.medical_free_text import MedicalFreeText
from vigie.detect.recognisers.medication import Medication

LAB_TESTS = ["NFS|Sérologie VIH", "NFS; CRP", "HbA1c|Glycémie à jeun", "TSH", "Ag HBs, anti-HBc",
             "β-HCG", "Ionogramme|Créatininémie|Urée", "Bilan lipidique", "INR", "Ferritine"]
LAB_RESULTS = ["Hb 13,2 g/dL", "Négatif", "CRP < 4 mg/L", "TSH 1,2 mUI/L", "positive",
               "Charge virale < 20 copies/mL", "Glycémie 5,4 mmol/L", "HbA1c 7,1 %", "indétectable"]
DIAGNOSES = ["E11.9 Diabète de type 2 sans complication", "B20", "F32.1", "I10", "O80",
             "Hépatite C chronique", "Dépression", "C50.9 Tumeur maligne du sein", "J45.9", "Z21"]
MEDICATIONS = ["BIKTARVY 1 cp/j", "metformine 1000 mg x2", "DOLIPRANE 1g si douleur",
               "KARDEGIC 75 mg", "Levothyrox 50 µg", "TRUVADA (PrEP)", "insuline glargine",
               "Seroplex 10 mg", "amoxicilline 1 g x3", "Xarelto 20 mg"]
NOTES = ["Patient vu en consultation, RAS, contrôle dans 6 mois",
         "Sérologie VIH négative, bilan à refaire le mois prochain",
         "Enceinte 12 SA, échographie normale, prochain RDV le 3 mars",
         "Douleurs abdominales depuis hier, pas de fièvre, ordonnance remise",
         "DT2 sous metformine, HbA1c à recontrôler en juin"]


@pytest.mark.parametrize("recogniser, valid, invalid", [
    (LabTest(), LAB_TESTS, ["Dupont", "12 rue des Lilas", "Paris|Lyon", "oui"]),
    (LabResult(), LAB_RESULTS, ["12 rue des Lilas", "Dupont", "2024-03-01", "-", "ABC123"]),
    (Diagnosis(), DIAGNOSES, ["Paris", "Z99.99", "12345", "A1", "DOLIPRANE 1g"]),
    (Medication(), MEDICATIONS, ["Lyon", "Dupont", "fer sérique 12 µmol/L", "glucose 5 mmol/L"]),
    (MedicalFreeText(), NOTES, ["Livraison prévue demain matin avant midi", "VIH", "Colis reçu"]),
])
def test_values(recogniser, valid, invalid):
    assert all(recogniser.matches(v) for v in valid), [v for v in valid if not recogniser.matches(v)]
    assert not any(recogniser.matches(v) for v in invalid), [v for v in invalid if recogniser.matches(v)]


@pytest.mark.parametrize("header, values, kind", [
    ("analyses", LAB_TESTS, "lab_test"),
    ("column_4", LAB_TESTS, "lab_test"),
    ("resultat", LAB_RESULTS, "lab_result"),
    ("diagnostic", DIAGNOSES, "diagnosis"),
    ("column_7", DIAGNOSES[:5], "diagnosis"),
    ("traitement", MEDICATIONS, "medication"),
    ("column_2", MEDICATIONS, "medication"),
])
def test_columns_classify(header, values, kind):
    verdict = classify_column(header, values * 20)
    assert verdict.kind == kind
    assert not verdict.free_text


def test_notes_column_is_medical_free_text_and_scanned():
    values = [f"{note} ({i})" for i in range(20) for note in NOTES]
    verdict = classify_column("commentaire", values)
    assert verdict.kind == "medical_free_text"
    assert verdict.free_text


def test_results_need_a_header_for_bare_numbers():
    numbers = ["13,2", "4", "1,2", "145", "0,8"] * 20
    assert classify_column("resultat", numbers).kind == "lab_result"
    assert classify_column("column_3", numbers).kind != "lab_result"


@pytest.mark.parametrize("recogniser, values", [
    (LabTest(), LAB_TESTS + ["Dupont", "Paris|Lyon"]),
    (LabResult(), LAB_RESULTS + ["12 rue des Lilas", "Dupont"]),
    (Diagnosis(), [v for v in DIAGNOSES if v[0].isupper() and v[1].isdigit()] + ["Paris", "12345"]),
])
def test_sql_twin_agrees_with_python(recogniser, values):
    con = duckdb.connect()
    sql = recogniser.sql_valid.replace("{col}", "v")
    assert sql == recogniser.sql_valid.format(col="v")      # no stray braces either way
    rows = con.execute(f"SELECT {sql} FROM unnest(?::VARCHAR[]) t(v)", [values]).fetchall()
    assert [bool(r[0]) for r in rows] == [recogniser.matches(v) for v in values]
