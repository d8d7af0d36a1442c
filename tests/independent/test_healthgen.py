"""Health data where it is a minority or sparse, on leaks Vigie has never seen (issue 11):
files from `healthgen` (other habits than `vigie.synth`) run through the real CLI. Bars:
tables and rows exact, every column kind of these results and appointments tables right,
no non-personal column reported as personal, persons within 2 %, structured exposure
exact, HIV and pregnancy (what the files state) within 10 %."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import healthgen  # noqa: E402  (a test helper beside this file, not a package)

VIGIE = Path(sys.executable).with_name("vigie")
PERSONS = {"lab-bookings-sql": 800, "practice-mongo": 700, "requests-xlsx": 600,
           "long-results-pg": 700}
SHAPES = sorted(healthgen.WRITERS)
MENTIONS = ("hiv", "pregnancy")


def _vigie(*args: str, home: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(VIGIE), *args], capture_output=True, text=True,
                            env={"VIGIE_HOME": str(home), "PATH": "/usr/bin:/bin"}, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.fixture(scope="module", params=SHAPES)
def run(request, tmp_path_factory):
    shape = request.param
    out = tmp_path_factory.mktemp(shape)
    leak = healthgen.write_leak(shape, out / "leak", PERSONS[shape], seed=100 + SHAPES.index(shape))
    inspected = json.loads(_vigie("inspect", str(leak.path), "--json", home=out).stdout)
    _vigie("assess", str(leak.path), "--out", str(out / "report"), "--format", "json", home=out)
    assessment = json.loads((out / "report" / "assessment.json").read_text())
    return leak, inspected, assessment


def test_inspect_finds_tables_columns_and_rows(run):
    leak, inspected, _ = run
    got = {t["name"]: t for t in inspected["tables"]}
    assert set(got) == set(leak.tables)
    for name, truth in leak.tables.items():
        assert got[name]["rows"] == truth["rows"], name
        assert [c["name"] for c in got[name]["columns"]] == list(truth["columns"]), name


def test_every_column_kind_is_right(run):
    leak, _, assessment = run
    got = {(t["name"], c["name"]): c["kind"] for t in assessment["tables"] for c in t["columns"]}
    truth = {(table, column): kind for table, spec in leak.tables.items()
             for column, kind in spec["columns"].items()}
    assert {key: (got.get(key), kind) for key, kind in truth.items() if got.get(key) != kind} == {}


def test_persons_within_two_percent(run):
    leak, _, assessment = run
    assert abs(assessment["persons"]["distinct"] - leak.persons) <= 0.02 * leak.persons


def test_exposure(run):
    leak, _, assessment = run
    exposure = {kind: value["persons"] for kind, value in assessment["exposure"].items()}
    for kind, persons in leak.exposure.items():
        if kind in MENTIONS:
            assert abs(exposure.get(kind, 0) - persons) <= 0.1 * max(persons, 10), (kind, persons)
        else:
            assert exposure.get(kind) == persons, kind
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
