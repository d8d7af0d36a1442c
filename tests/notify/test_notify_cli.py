"""The documented command chain through the Typer app: incident open -> fact ->
notify draft cnil|ars|patients, with the file layout the issue promises."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from vigie.cli.app import app
from vigie.errors import UsageError

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_open_then_draft_every_document(home, tmp_path, synthetic, facts, ago):
    inputs = synthetic.build(tmp_path / "run", patients=12)
    opened = run("incident", "open", "--assessment", inputs["assessment"],
                 "--aware-at", ago(hours=2).isoformat())
    incident_id = opened.output.strip()
    assert run("incident", "fact", incident_id,
               *[f"{k}={v}" for k, v in facts.items()]).exit_code == 0
    out = tmp_path / "notices"
    for document in ("cnil", "ars"):
        result = run("notify", "draft", document, "--incident", incident_id, "--out", out)
        assert result.exit_code == 0, result.output
        assert (out / f"{document}.md").exists() and (out / f"{document}.pdf").exists()
    result = run("notify", "draft", "patients", "--incident", incident_id, "--out", out,
                 "--registry", inputs["registry"])
    assert result.exit_code == 0, result.output
    with open(out / "patients" / "manifest.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["registry_id", "channel", "file", "kinds"]
    assert len({r["registry_id"] for r in rows}) == 12
    assert all((out / "patients" / r["file"]).exists() for r in rows)
    assert "patient0@" not in result.output                 # nothing personal printed


def test_fact_without_equals_and_unknown_document_are_usage_errors(home, tmp_path, synthetic, ago):
    inputs = synthetic.build(tmp_path / "run", patients=3)
    run("incident", "open", "--assessment", inputs["assessment"], "--aware-at", ago(hours=2).isoformat())
    result = run("incident", "fact", "1", "measures")
    assert isinstance(result.exception, UsageError)
    result = run("notify", "draft", "presse", "--incident", "1", "--out", tmp_path)
    assert isinstance(result.exception, UsageError)
