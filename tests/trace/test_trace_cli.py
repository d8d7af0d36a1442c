"""The real commands: export, trace, prove; errors as one line; no raw value printed."""

from __future__ import annotations

import json
import os

import pyarrow as pa
import pyarrow.csv as pacsv

from vigie.synth.population import generate_population


def test_export_trace_prove_from_the_command_line(tmp_path, run):
    patients = generate_population(600, 3).patients.select(
        ["patient_id", "first_name", "last_name", "date_of_birth", "nir", "address", "phone",
         "email"])
    patients = pa.table({c: patients.column(c).cast(pa.string()) for c in patients.column_names})
    pacsv.write_csv(patients, tmp_path / "registry.csv")
    done = run(["export", "registry.csv", "--id-column", "patient_id", "--recipient", "Lab X",
                "--purpose", "billing", "--columns", "first_name,last_name,date_of_birth,phone",
                "--registry", "registry.csv", "--registry-id", "patient_id",
                "--out", "x.jsonl"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "0 candidates too close to a patient redrawn" in done.stdout
    export_id = done.stdout.split()[1]
    assert export_id.startswith("EXP-")
    assert oct(os.stat(tmp_path / "master.key").st_mode & 0o777) == "0o600"

    traced = run(["trace", "x.jsonl", "--out", "out"], tmp_path)
    assert traced.returncode == 0, traced.stderr
    data = json.loads((tmp_path / "out" / "trace.json").read_text())
    assert [a["export_id"] for a in data["attributions"]] == [export_id]
    assert {"recipient", "exported_at", "p_false", "canaries_found", "rows_explained"} \
        <= set(data["attributions"][0])
    printed = traced.stdout + (tmp_path / "out" / "summary.txt").read_text() \
        + (tmp_path / "out" / "trace.json").read_text()
    for row in patients.slice(0, 50).to_pylist():           # no raw value anywhere
        for column in ("nir", "last_name", "phone", "email"):
            if row[column]:
                assert row[column] not in printed

    proved = run(["trace", "prove", export_id, "--leak", "x.jsonl", "--out", "proof"], tmp_path)
    assert proved.returncode == 0, proved.stderr
    assert (tmp_path / "proof" / "evidence.json").exists()


def test_errors_are_one_line_with_exit_codes(tmp_path, run):
    (tmp_path / "reg.csv").write_text("id,name\n1,A\n")
    bad_format = run(["export", "reg.csv", "--id-column", "id", "--recipient", "r",
                      "--purpose", "p", "--out", "x.txt"], tmp_path)
    assert bad_format.returncode == 2 and "export format" in bad_format.stderr
    missing = run(["trace", "absent.csv", "--out", "o"], tmp_path)
    assert missing.returncode == 1 and missing.stderr.startswith("vigie: error: absent.csv")
    unknown = run(["trace", "prove", "EXP-nope", "--leak", "reg.csv", "--out", "o"], tmp_path)
    assert unknown.returncode == 2 and "EXP-nope" in unknown.stderr
    (tmp_path / "empty_id.csv").write_text("id,name\n,A\n")
    empty = run(["export", "empty_id.csv", "--id-column", "id", "--recipient", "r",
                 "--purpose", "p", "--out", "x.csv"], tmp_path)
    assert empty.returncode == 1 and "line 2" in empty.stderr
    no_id = run(["export", "reg.csv", "--id-column", "id", "--recipient", "r", "--purpose", "p",
                 "--registry", "reg.csv", "--out", "x.csv"], tmp_path)
    assert no_id.returncode == 2 and "--registry-id" in no_id.stderr
    assert "Traceback" not in bad_format.stderr + missing.stderr + unknown.stderr + empty.stderr
