"""Health data where it is a minority or sparse, on leaks Vigie has never seen (issue 11):
files from `healthgen` (other habits than `vigie.synth`) run through the real CLI. Bars:
tables and rows exact, every column kind of these results and appointments tables right,
no non-personal column reported as personal, persons within 2 %, structured exposure
exact, HIV and pregnancy (what the files state) within 10 %."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import healthgen  # noqa: E402  (a test helper beside this file, not a package)
from judge import (assert_tables_as_written, exposure_misses, inspect_and_assess,  # noqa: E402
                   reported_personal, wrong_kinds)

PERSONS = {"lab-bookings-sql": 800, "practice-mongo": 700, "requests-xlsx": 600,
           "long-results-pg": 700}
SHAPES = sorted(healthgen.WRITERS)


@pytest.fixture(scope="module", params=SHAPES)
def run(request, tmp_path_factory):
    shape = request.param
    out = tmp_path_factory.mktemp(shape)
    leak = healthgen.write_leak(shape, out / "leak", PERSONS[shape], seed=100 + SHAPES.index(shape))
    return (leak, *inspect_and_assess(leak, out))


def test_inspect_finds_tables_columns_and_rows(run):
    leak, inspected, _ = run
    assert_tables_as_written(leak, inspected)


def test_every_column_kind_is_right(run):
    leak, _, assessment = run
    assert wrong_kinds(leak, assessment) == {}
    assert not reported_personal(leak, assessment)


def test_persons_within_two_percent(run):
    leak, _, assessment = run
    assert abs(assessment["persons"]["distinct"] - leak.persons) <= 0.02 * leak.persons


def test_exposure(run):
    leak, _, assessment = run
    assert exposure_misses(leak, assessment, 0.1, floor=10) == {}
    assert leak.exposure["hiv"] > 20


def test_a_suggested_pregnancy_is_written_but_not_in_the_truth(tmp_path):
    # The workbook writes toxoplasmosis and rubella immunities: they state no pregnancy.
    leak = healthgen.write_leak("requests-xlsx", tmp_path, 300, seed=5)
    from openpyxl import load_workbook

    cells = [row[7] for row in load_workbook(leak.path, read_only=True)["Demandes"].iter_rows(
        min_row=2, values_only=True)]
    filled = [c for c in cells if c]
    assert any("Toxo" in c for c in filled) and leak.exposure["pregnancy"] == 0
    assert len(filled) < 0.3 * len(cells)                 # empty on most rows
