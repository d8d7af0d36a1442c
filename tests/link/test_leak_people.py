"""What leaked about each person reaches the linkage rows, from every table of the leak.

A sqlite leak with `patients` (identity) and `visits` (health data, tied through
patient_id): the linkage rows come from `patients` only, yet each must carry the lab
tests, diagnoses and HIV / pregnancy mentions found in that patient's visits, and the
counts must agree with the assessment's own per-person exposure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from vigie.assess.engine import assess
from vigie.link.leak_people import collect_leak_people


@pytest.fixture(scope="module")
def sqlite_leak(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("leak")
    vigie = Path(sys.executable).with_name("vigie")
    subprocess.run([str(vigie), "synth", "leak", "--shape", "sqlite", "--patients", "300",
                    "--seed", "3", "--out", str(out)], check=True, capture_output=True)
    truth = json.loads((out / "truth.json").read_text("utf-8"))
    return out / truth["files"][0], truth


def test_rows_carry_what_leaked_about_their_person_in_other_tables(sqlite_leak):
    path, truth = sqlite_leak
    link = duckdb.connect()
    assessment = assess([str(path)], keep_row_order=True,
                        inspect=lambda ws, loaded: collect_leak_people(link, ws, loaded))
    rows = link.execute("SELECT unique_id, exposed_kinds FROM leak_people").fetchall()
    assert len(rows) == truth["tables"][0]["rows"] == 300      # patients only: visits hold no identity
    assert all(uid.isdigit() for uid, _ in rows)                 # one table: bare row numbers
    assert sorted(int(uid) for uid, _ in rows) == list(range(1, 301))
    for kind in ("lab_test", "diagnosis", "medication", "hiv", "pregnancy", "nir"):
        carried = sum(1 for _, kinds in rows if kind in kinds)
        assert carried == assessment.exposure[kind].persons > 0, kind
    hiv_truth = truth["exposure"]["hiv"]["persons"]
    assert abs(sum(1 for _, k in rows if "hiv" in k) - hiv_truth) <= 0.05 * hiv_truth


def test_row_numbers_follow_the_file_order(sqlite_leak):
    """unique_id n is the n-th data row: its identity is that row's."""
    import sqlite3

    path, _ = sqlite_leak
    link = duckdb.connect()
    assess([str(path)], keep_row_order=True,
           inspect=lambda ws, loaded: collect_leak_people(link, ws, loaded))
    with sqlite3.connect(path) as db:
        order = [r[0] for r in db.execute("SELECT date_naissance FROM patients ORDER BY rowid")]
    got = dict(link.execute("SELECT CAST(unique_id AS INTEGER), CAST(date_of_birth AS VARCHAR) "
                            "FROM leak_people").fetchall())
    assert [got[n] for n in (1, 2, 150, 300)] == [order[n - 1][:10] for n in (1, 2, 150, 300)]
