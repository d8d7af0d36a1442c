"""`vigie synth` end to end, as a user runs it (subprocess of the installed command);
usage errors in-process through the same Typer app."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from vigie.cli.app import app
from vigie.synth.leaks import SHAPES
from vigie.synth.population import generate_population

VIGIE = str(Path(sys.executable).parent / "vigie")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([VIGIE, "synth", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def lab_leak(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "lab"
    result = run("leak", "--shape", "lab-semicolon", "--patients", "250", "--seed", "9",
                 "--out", str(out))
    return out, result


def test_leak_writes_files_and_prints_truth_path(lab_leak):
    out, result = lab_leak
    assert result.returncode == 0, result.stderr
    assert f"truth {out / 'truth.json'}" in result.stdout
    assert str(out / "export_labo.txt") in result.stdout
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert truth["shape"] == "lab-semicolon" and truth["persons"]["distinct"] == 250
    assert f"persons: {truth['persons']['distinct']}" in result.stdout


def test_output_carries_no_personal_value(lab_leak):
    _, result = lab_leak
    output = result.stdout + result.stderr
    patients = generate_population(250, 9).patients.to_pylist()
    for patient in patients:
        for field in ("nir", "email", "phone", "last_name", "address", "iban"):
            value = patient[field]
            if value and len(value) > 3:
                assert value not in output, field
                assert value.upper() not in output, field


def test_leak_is_deterministic(lab_leak, tmp_path):
    out, _ = lab_leak
    again = run("leak", "--shape", "lab-semicolon", "--patients", "250", "--seed", "9",
                "--out", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "export_labo.txt").read_bytes() == (out / "export_labo.txt").read_bytes()
    assert (tmp_path / "truth.json").read_bytes() == (out / "truth.json").read_bytes()


def test_registry_csv_and_parquet_are_the_population(tmp_path):
    for fmt in ("csv", "parquet"):
        result = run("registry", "--patients", "120", "--seed", "4", "--out", str(tmp_path),
                     "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert str(tmp_path / f"registry.{fmt}") in result.stdout
    expected = generate_population(120, 4).patients
    with open(tmp_path / "registry.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["patient_id"] for r in rows] == expected.column("patient_id").to_pylist()
    assert [r["nir"] for r in rows] == expected.column("nir").to_pylist()
    assert pq.read_table(tmp_path / "registry.parquet").equals(expected)


def test_shapes_listing():
    listed = run("shapes")
    assert listed.returncode == 0
    names = {line.split()[0] for line in listed.stdout.splitlines() if line.strip()}
    assert names == set(SHAPES)
    assert CliRunner().invoke(app, ["synth", "leak", "--shapes"]).stdout == listed.stdout


# Usage errors stop before any work: checked in-process (same Typer app, no start-up cost).
@pytest.mark.parametrize("args, hint", [
    (["leak", "--shape", "no-such-shape", "--patients", "5", "--out", "OUT"], "unknown shape"),
    (["leak", "--patients", "5", "--out", "OUT"], "--shape"),
    (["leak", "--shape", "zip", "--out", "OUT"], "--patients"),
    (["registry", "--patients", "0", "--out", "OUT"], "--patients"),
    (["leak", "--shape", "zip", "--patients", "3", "--out", "FILE/out"], "cannot create"),
])
def test_bad_usage_exits_2(args, hint, tmp_path):
    (tmp_path / "FILE").write_text("not a folder")
    args = [str(tmp_path / a) if a in ("OUT", "FILE/out") else a for a in args]
    result = CliRunner().invoke(app, ["synth", *args])
    assert result.exit_code == 2
    assert hint in result.output
    assert not (tmp_path / "OUT").exists()
