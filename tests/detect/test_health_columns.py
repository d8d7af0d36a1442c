"""Health data where it is a minority or sparse: an appointment's reason, a serology column
empty on most rows, qualified exam names; and the columns that must stay non-health."""

import random

import duckdb
import pytest

from vigie.detect.recognisers.lab_result import LabResult
from vigie.detect.recognisers.lab_test import LabTest
from vigie.detect.registry import classify_column

draw = random.Random(4)


def mixed(routine: list[str], rare: list[str], share: float, n: int = 1000) -> list[str]:
    return [draw.choice(rare) if draw.random() < share else draw.choice(routine) for _ in range(n)]


LAB_ACTS = ["Prise de sang", "prise de sang à jeun", "Analyse d'urine", "Analyses d'urines",
            "Test PCR", "Test PCR Covid-19", "ECBU", "Bilan sanguin", "Glycémie à jeun"]
CONDITION_ACTS = ["Suivi VIH - charge virale", "Bilan grossesse (1er trimestre)",
                  "Dépistage VIH", "Suivi de grossesse"]


@pytest.mark.parametrize("header", ["reason", "motif_rdv", "appointments[].reason", "Motif", None])
def test_a_lab_appointments_reason_is_a_lab_test_even_when_most_are_routine(header):
    verdict = classify_column(header, mixed(LAB_ACTS, CONDITION_ACTS, 0.1))
    assert verdict.kind == "lab_test", verdict
    assert any("name a health condition" in line for line in verdict.evidence)


def test_a_consultation_reason_of_stock_phrases_is_medical_free_text():
    routine = ["Consultation", "Renouvellement d'ordonnance", "Certificat de sport",
               "Vaccination grippe", "Douleurs lombaires", "Suivi tension"]
    rare = ["Suivi de grossesse", "Suivi VIH", "Enceinte, nausées"]
    verdict = classify_column("Motif de consultation", mixed(routine, rare, 0.06))
    assert verdict.kind == "medical_free_text" and verdict.free_text
    assert any("visit's reason" in line for line in verdict.evidence)
    assert any("health data even where most values are routine" in line
               for line in verdict.evidence)


def test_comments_about_parking_or_access_stay_none():
    comments = ["Parking complet", "Place réservée devant l'entrée", "Badge à renouveler",
                "Interphone en panne", "Arrivée par l'entrée B", "RAS"]
    for header in ("commentaire", "remarque_accueil", "reason"):
        assert classify_column(header, mixed(comments, comments, 0, 600)).kind == "none", header


def test_a_web_apps_reason_column_stays_none():
    reasons = ["Mot de passe oublié", "Compte bloqué", "Changement d'adresse", "Autre"]
    assert classify_column("reason", mixed(reasons, reasons, 0, 500)).kind == "none"


def test_a_sparse_serology_column_is_a_lab_result():
    # Only the filled cells are sampled: "empty on most rows" does not dilute them.
    values = ["Toxo immunisée", "Toxoplasmose non immune", "VIH négatif", "HIV 1+2 : négatif",
              "Rubéole : immunisée", "Ac anti-VHC négatifs", "IgG positives, IgM négatives"]
    for header in ("Résultat sérologie", "Sérologie", "serologies", "resultat_serologique"):
        verdict = classify_column(header, [draw.choice(values) for _ in range(40)])
        assert verdict.kind == "lab_result", (header, verdict)


def test_short_results_naming_their_analyte_are_lab_results_and_sql_agrees():
    results = ["Toxo immunisée", "VIH négatif", "Ag HBs positif", "ARN VIH non détecté",
               "IgG positives", "Rubéole : non immunisée", "CV indétectable"]
    not_results = ["Réactif CRP latex", "Contrôle positif du kit, voir la notice du fabricant "
                   "avant toute utilisation", "Normalement livré lundi", "Positionnement"]
    recogniser = LabResult()
    assert all(recogniser.matches(v) for v in results)
    assert not any(recogniser.matches(v) for v in not_results)
    values = results + not_results + ["Hb 13,2 g/dL", "12 %", "Négatif", "HbA1c 7,1 %"]
    sql = LabResult.sql_valid.replace("{col}", "v")
    rows = duckdb.connect().execute(f"SELECT {sql} FROM unnest(?::VARCHAR[]) t(v)",
                                    [values]).fetchall()
    assert [bool(row[0]) for row in rows] == [recogniser.matches(v) for v in values]


def test_qualified_exam_names_are_exams_but_results_are_not_and_sql_agrees():
    exams = ["Prise de sang à jeun", "Test PCR Covid-19", "Contrôle charge virale",
             "Dépistage VIH", "NFS plaquettes|CRP", "Prise de sang (NFS, glycémie)", "HGPO 75 g"]
    others = ["Hb 13,2 g/dL", "HbA1c 7,1 %", "TP 80 %", "CD4 450", "Sérologie VIH négative",
              "Contrôle qualité HbA1c niveau 2", "Tube EDTA 4 mL", "Consultation"]
    recogniser = LabTest()
    assert all(recogniser.matches(v) for v in exams)
    assert not any(recogniser.matches(v) for v in others)
    sql = LabTest.sql_valid.replace("{col}", "v")
    rows = duckdb.connect().execute(f"SELECT {sql} FROM unnest(?::VARCHAR[]) t(v)",
                                    [exams + others]).fetchall()
    assert [bool(row[0]) for row in rows] == [recogniser.matches(v) for v in exams + others]


def test_a_results_column_naming_analytes_stays_a_result_not_an_exam():
    results = ["HbA1c 7,1 %", "TP 80 %", "Hb 13,2 g/dL", "Ferritine 228 µg/L", "INR 2,4"]
    assert classify_column("column_3", results * 20).kind == "lab_result"
