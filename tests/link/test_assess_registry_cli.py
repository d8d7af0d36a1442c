"""`vigie assess LEAK --registry SRC` end to end, as a DPO would run it.

The pair comes from `vigie synth linkage` (a registry and a damaged leak of some of its
patients plus strangers, with the truth per leak row). The registry is read once from a CSV
and once from a real PostgreSQL database by URL.
"""

import csv
import json
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from vigie.report.json import validation_errors

VIGIE = str(Path(sys.executable).with_name("vigie"))
ADMIN_URL = "postgresql://postgres@127.0.0.1/postgres"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([VIGIE, *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pair")
    done = run("synth", "linkage", "--registry", "2000", "--leak-persons", "800",
               "--seed", "21", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def scores(affected: Path, truth_file: Path) -> tuple[float, float, set[str]]:
    """Person-level precision and recall of affected.csv against the generator's truth."""
    truth = json.loads(truth_file.read_text())["leak_rows"]
    in_registry = {pid for pid in truth.values() if pid}
    with affected.open(newline="") as fh:
        found = {row["registry_id"]: row for row in csv.DictReader(fh)}
    right = in_registry & set(found)
    return len(right) / len(found), len(right) / len(in_registry), set(found)


def check_outputs(out: Path, pair: Path, stdout: str) -> dict:
    affected = out / "affected.csv"
    assert stat.S_IMODE(affected.stat().st_mode) == 0o600
    precision, recall, found = scores(affected, pair / "linkage-truth.json")
    assert precision >= 0.99 and recall >= 0.98, (precision, recall)
    report = json.loads((out / "assessment.json").read_text())
    assert validation_errors(report) == []
    registry = report["registry"]
    assert registry["matched_persons"] == len(found)
    assert sum(registry["by_group"].values()) == len(found)
    # Strangers (not in the registry) stay unmatched: the leak's persons not linked are
    # at least the strangers the generator put in.
    truth = json.loads((pair / "linkage-truth.json").read_text())["leak_rows"]
    assert registry["unmatched_leak_persons"] >= 0.95 * round(800 * 0.1)
    assert any(pid is None for pid in truth.values())
    # The terminal shows counts, never an identity from the registry or the leak.
    with (pair / "registry.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))[:200]
    for row in rows:
        for field in ("nir", "email", "phone", "last_name"):
            if row[field] and len(row[field]) > 3:
                assert row[field] not in stdout
                assert row[field] not in (out / "review.csv").read_text()
    return registry


def test_assess_with_a_csv_registry(pair, tmp_path):
    out = tmp_path / "report"
    done = run("assess", str(pair / "leak.csv"), "--registry", str(pair / "registry.csv"),
               "--registry-id", "patient_id", "--registry-group", "site",
               "--out", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    registry = check_outputs(out, pair, done.stdout)
    assert set(registry["by_group"]) <= {"LAB-NORD", "LAB-SUD", "LAB-EST", "LAB-OUEST"}
    with (out / "affected.csv").open(newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["registry_id", "match_probability", "leak_rows", "exposed_kinds", "group"]


def test_registry_id_is_required_and_checked(pair, tmp_path):
    missing = run("assess", str(pair / "leak.csv"), "--registry", str(pair / "registry.csv"),
                  "--out", str(tmp_path / "a"))
    assert missing.returncode == 2 and "--registry-id" in missing.stderr
    wrong = run("assess", str(pair / "leak.csv"), "--registry", str(pair / "registry.csv"),
                "--registry-id", "no_such_column", "--out", str(tmp_path / "b"))
    assert wrong.returncode == 2 and "no_such_column" in wrong.stderr
    assert not (tmp_path / "b" / "affected.csv").exists()


@pytest.mark.db
def test_assess_with_a_postgresql_registry_by_url(pair, tmp_path):
    name = f"vigie_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1/{name}", autocommit=True) as con:
            with (pair / "registry.csv").open(newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                con.execute(f"CREATE TABLE patients ({', '.join(h + ' text' for h in header)})")
                with con.cursor().copy(f"COPY patients ({', '.join(header)}) FROM STDIN") as copy:
                    for row in reader:
                        copy.write_row([v or None for v in row])
        out = tmp_path / "report"
        done = run("assess", str(pair / "leak.csv"),
                   "--registry", f"postgresql://postgres@127.0.0.1/{name}",
                   "--registry-id", "patient_id", "--registry-group", "site",
                   "--out", str(out), "--format", "json")
        assert done.returncode == 0, done.stderr
        check_outputs(out, pair, done.stdout)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_affected_kinds_include_what_leaked_in_other_tables(tmp_path):
    """A practice database: identities in `patients`, lab results, diagnoses and notes in
    `visits` (patient_id). Each affected patient must be told about the health data of
    their own visits too, and only theirs (from the assessment's per-person exposure)."""
    assert run("synth", "leak", "--shape", "sqlite", "--patients", "400", "--seed", "8",
               "--out", str(tmp_path / "leak")).returncode == 0
    assert run("synth", "registry", "--patients", "400", "--seed", "8",
               "--out", str(tmp_path / "reg")).returncode == 0
    registry = next((tmp_path / "reg").glob("registry.*"))
    truth = json.loads((tmp_path / "leak" / "truth.json").read_text())
    done = run("assess", str(tmp_path / "leak" / truth["files"][0]), "--registry", str(registry),
               "--registry-id", "patient_id", "--out", str(tmp_path / "out"), "--format", "json")
    assert done.returncode == 0, done.stderr
    with (tmp_path / "out" / "affected.csv").open(newline="") as fh:
        kinds = [set(row["exposed_kinds"].split("|")) for row in csv.DictReader(fh)]
    assert len(kinds) >= 0.98 * 400
    exposure = json.loads((tmp_path / "out" / "assessment.json").read_text())["exposure"]
    for kind in ("lab_test", "diagnosis", "hiv", "pregnancy"):     # all sit in `visits`
        told = sum(1 for k in kinds if kind in k)
        assert 0 < told <= exposure[kind]["persons"], kind
        assert told >= 0.98 * exposure[kind]["persons"], kind
    assert all("nir" in k and "last_name" in k for k in kinds)
    assert sum(1 for k in kinds if "hiv" in k) < 0.5 * len(kinds)     # per person, not blanket
