"""A complementary assessment (phase 2) attached to an incident replaces its affected
persons (HMAC keys + kinds) and counts; the chronology keeps the figures of the set it
replaced, verify checks the new seal, and the CLI says what changed."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from vigie.cli.app import app
from vigie.incidents import (attach_assessment, load_incident, open_incident, open_register,
                             verify_incident)
from vigie.incidents.chronology import entries
from vigie.incidents.keys import master_key, person_key
from vigie.incidents.tables import affected


def phase_two(synthetic, folder: Path, first: int = 10, last: int = 60) -> Path:
    """A re-run linked to the registry: patients first..last-1, each now with a NIR."""
    folder.mkdir(parents=True)
    (folder / "assessment.json").write_text(json.dumps(synthetic.assessment(150)),
                                            encoding="utf-8")
    with open(folder / "affected.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["registry_id", "match_probability", "exposed_kinds"])
        for i in range(first, last):
            kinds = sorted(set(synthetic.kinds_for(i)) | {"nir"})
            writer.writerow([f"R{i:06d}", "0.990000", "|".join(kinds)])
    return folder


def stored(engine, incident_id: int) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(affected.c.person_key, affected.c.kinds)
                            .where(affected.c.incident_id == incident_id))
        return dict(rows.all())


def test_phase_two_replaces_the_affected_set_and_keeps_the_old_figures(db_url, inputs,
                                                                       tmp_path, synthetic):
    engine = open_register(db_url)
    incident_id = open_incident(engine, inputs["assessment"], datetime.now(timezone.utc))
    before = stored(engine, incident_id)
    assert len(before) == 40
    entry = attach_assessment(engine, incident_id, phase_two(synthetic, tmp_path / "phase2"))

    key = master_key()
    after = stored(engine, incident_id)
    assert set(after) == {person_key(key, f"R{i:06d}") for i in range(10, 60)}
    assert after[person_key(key, "R000011")] == "email|first_name|lab_result|last_name|nir"
    assert before[person_key(key, "R000011")] == "email|first_name|lab_result|last_name"
    assert load_incident(engine, incident_id).affected_count == 50
    assert (entry["persons_added"], entry["persons_removed"], entry["persons_kept"]) == (20, 10, 30)

    with engine.connect() as conn:
        attached = [e for e in entries(conn, incident_id) if e.kind == "assessment_attached"]
    assert len(attached) == 1
    payload = attached[0].payload
    assert payload["previous_affected_figures"]["persons"] == 40
    assert payload["previous_affected_figures"]["kinds"]["nir"] == 20     # even patients
    assert payload["affected_figures"]["kinds"]["nir"] == 50
    assert payload["affected_persons"] == 50
    assert not any(k.startswith("R0") for k in json.dumps(payload))      # no registry id

    history = load_incident(engine, incident_id).affected_history
    assert [(h["previous"]["persons"], h["current"]["persons"]) for h in history] == [(40, 50)]
    problems, _ = verify_incident(engine, incident_id)
    assert problems == []
    engine.dispose()


def test_verify_checks_the_set_sealed_by_the_attached_assessment(home, inputs, tmp_path,
                                                                  synthetic):
    engine = open_register(None)
    incident_id = open_incident(engine, inputs["assessment"], datetime.now(timezone.utc))
    attach_assessment(engine, incident_id, phase_two(synthetic, tmp_path / "phase2"))
    db = sqlite3.connect(home / "register.sqlite")
    with db:
        db.execute("DELETE FROM vigie_affected WHERE id = (SELECT max(id) FROM vigie_affected)")
    db.close()
    problems, _ = verify_incident(engine, incident_id)
    assert problems == ["affected persons differ from those sealed by the last attached "
                        "assessment"]


def test_attach_without_affected_csv_keeps_the_set(home, inputs, tmp_path, synthetic):
    engine = open_register(None)
    incident_id = open_incident(engine, inputs["assessment"], datetime.now(timezone.utc))
    unlinked = tmp_path / "unlinked"
    unlinked.mkdir()
    (unlinked / "assessment.json").write_text(json.dumps(synthetic.assessment(300)),
                                              encoding="utf-8")
    entry = attach_assessment(engine, incident_id, unlinked)
    assert "affected_persons" not in entry
    incident = load_incident(engine, incident_id)
    assert incident.affected_count == 40 and incident.affected_history == []
    assert incident.assessment["persons"]["distinct"] == 300
    assert verify_incident(engine, incident_id)[0] == []


def test_cli_attach_prints_what_changed(home, inputs, tmp_path, synthetic, ago):
    runner = CliRunner()
    opened = runner.invoke(app, ["incident", "open", "--assessment", str(inputs["assessment"]),
                                 "--aware-at", ago(hours=2).isoformat()])
    incident_id = opened.stdout.strip()
    result = runner.invoke(app, ["incident", "attach", incident_id, "--assessment",
                                 str(phase_two(synthetic, tmp_path / "phase2"))])
    assert result.exit_code == 0, result.output
    assert "affected persons: 40 -> 50 (20 added, 10 removed, 30 kept)" in result.stdout
    assert "R0000" not in result.output
