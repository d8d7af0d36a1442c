"""`vigie assess` names the recorded export a leak came from, as `vigie trace` does."""

import json
import os
import subprocess
import sys
from pathlib import Path

from vigie.report.json import validation_errors

VIGIE = str(Path(sys.executable).with_name("vigie"))


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([VIGIE, *args], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    return done


def test_assess_reports_the_export_a_leak_came_from(tmp_path):
    env = {**os.environ, "VIGIE_HOME": str(tmp_path / "home")}
    run(env, "synth", "registry", "--patients", "1500", "--seed", "8", "--out", str(tmp_path))
    exported = run(env, "export", str(tmp_path / "registry.csv"), "--id-column", "patient_id",
                   "--recipient", "Prestataire A", "--purpose", "contrôle qualité",
                   "--out", str(tmp_path / "export.csv"))
    export_id = exported.stdout.split()[1]
    run(env, "export", str(tmp_path / "registry.csv"), "--id-column", "patient_id",
        "--recipient", "Prestataire B", "--purpose", "facturation",
        "--out", str(tmp_path / "other.csv"))

    # The leak: the first export, re-sorted, without its id column, re-encoded as JSON lines.
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(tmp_path / "export.csv").drop_columns(["patient_id"])
    rows = table.sort_by([("last_name", "ascending")]).to_pylist()
    with (tmp_path / "leak.jsonl").open("w") as fh:
        for row in rows:
            fh.write(json.dumps({k: (str(v) if v is not None else None) for k, v in row.items()},
                                ensure_ascii=False) + "\n")

    out = tmp_path / "report"
    done = run(env, "assess", str(tmp_path / "leak.jsonl"), "--out", str(out), "--format", "json")
    report = json.loads((out / "assessment.json").read_text())
    assert validation_errors(report) == []
    trace = report["trace"]
    assert trace["checked_exports"] == 2
    assert [a["export_id"] for a in trace["attributions"]] == [export_id]
    assert trace["attributions"][0]["p_false"] <= 1e-6
    assert export_id in done.stdout


def test_assess_without_exports_adds_no_trace_and_creates_no_state(tmp_path):
    env = {**os.environ, "VIGIE_HOME": str(tmp_path / "home")}
    run(env, "synth", "registry", "--patients", "300", "--seed", "8", "--out", str(tmp_path))
    run(env, "assess", str(tmp_path / "registry.csv"), "--out", str(tmp_path / "r"),
        "--format", "json")
    report = json.loads((tmp_path / "r" / "assessment.json").read_text())
    assert "trace" not in report
    assert not (tmp_path / "home").exists()
