"""A bare percentage is a share, not a lab result: % counts as a lab unit only beside an
analyte label, or under a results header (like a bare number)."""

import duckdb

from vigie.detect.recognisers.lab_result import LabResult
from vigie.detect.registry import classify_column

PERCENTAGES = ["12.5%", "3%", "45,2 %", "100%", "0.5%", "78 %", "-4,5%", "+2%", "< 1 %"]
LABELLED = ["HbA1c 7,1 %", "TP 80 %", "Hématocrite : 42 %", "HbA1c 6.5%"]


def test_bare_percentages_are_not_lab_results_but_labelled_ones_are():
    recogniser = LabResult()
    assert not any(recogniser.matches(v) for v in PERCENTAGES)
    assert all(recogniser.matches(v) for v in LABELLED)


def test_a_column_of_percentages_without_header_is_not_lab_result():
    for name in (None, "column_3", "taux_remise"):
        assert classify_column(name, PERCENTAGES * 10).kind != "lab_result", name


def test_percentages_under_a_results_header_are_lab_results():
    verdict = classify_column("resultat", PERCENTAGES * 10)
    assert verdict.kind == "lab_result"
    assert any("bare percentages" in line for line in verdict.evidence)


def test_labelled_percentages_without_header_stay_lab_results():
    assert classify_column("column_3", LABELLED * 10).kind == "lab_result"


def test_sql_twin_rejects_bare_percentages_too():
    values = PERCENTAGES + LABELLED + ["13,2 g/dL", "Négatif"]
    sql = LabResult.sql_valid.replace("{col}", "v")
    rows = duckdb.connect().execute(f"SELECT {sql} FROM unnest(?::VARCHAR[]) t(v)",
                                    [values]).fetchall()
    assert [bool(row[0]) for row in rows] == [LabResult().matches(v) for v in values]
