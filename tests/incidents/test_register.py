"""The incident register on SQLite and on the real PostgreSQL: opening from an assessment,
minimal storage, decisions, restart survival, tamper detection, art. 33(5) export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from vigie.errors import InputError, UsageError
from vigie.incidents import (
    decide_risk,
    export_register,
    load_incident,
    open_incident,
    open_register,
    override_severity,
    record_facts,
    verify_incident,
)
from vigie.incidents.keys import master_key, person_key
from vigie.incidents.tables import affected

# A day and a half ago: relative to now, so no clock runs out with the calendar.
AWARE = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(hours=36)


def test_open_stores_assessment_and_only_hmacs(db_url, inputs):
    engine = open_register(db_url)
    incident_id = open_incident(engine, inputs["assessment"], AWARE)
    incident = load_incident(engine, incident_id)
    assert incident.aware_at == AWARE
    assert incident.affected_count == 40
    assert incident.assessment["persons"]["distinct"] == 120
    assert incident.risk["proposal"] == "high"          # art. 9 + identifiable + confidentiality
    with engine.connect() as conn:
        rows = conn.execute(select(affected.c.person_key, affected.c.kinds)).all()
    stored = {r.person_key: r.kinds for r in rows}
    assert "R000000" not in json.dumps(stored)
    assert stored[person_key(master_key(), "R000000")] == "email|first_name|hiv|lab_result|last_name|nir"
    assert "nir" not in stored[person_key(master_key(), "R000001")].split("|")


def test_register_survives_restart_and_chain_verifies(db_url, inputs):
    engine = open_register(db_url)
    incident_id = open_incident(engine, inputs["assessment"], AWARE)
    record_facts(engine, incident_id, {"measures": "serveur isolé"}, "dpo")
    record_facts(engine, incident_id, {"measures": "serveur isolé, mots de passe changés"}, "dpo")
    engine.dispose()
    reopened = open_register(db_url)
    incident = load_incident(reopened, incident_id)
    assert incident.facts["measures"] == "serveur isolé, mots de passe changés"  # correction wins
    assert incident.chain_length == 4
    problems, head = verify_incident(reopened, incident_id)
    assert problems == [] and len(head) == 64


def test_verify_detects_an_updated_chronology_row(db_url, inputs):
    engine = open_register(db_url)
    incident_id = open_incident(engine, inputs["assessment"], AWARE)
    record_facts(engine, incident_id, {"measures": "aucune"}, "dpo")
    with engine.begin() as conn:
        conn.execute(text("UPDATE vigie_chronology SET payload = :p WHERE seq = 3"),
                     {"p": json.dumps({"measures": "tout va bien"})})
    problems, _ = verify_incident(engine, incident_id)
    assert any("entry 3" in p for p in problems)


def test_verify_detects_a_moved_awareness_time(db_url, inputs):
    engine = open_register(db_url)
    incident_id = open_incident(engine, inputs["assessment"], AWARE)
    with engine.begin() as conn:
        conn.execute(text("UPDATE vigie_incidents SET aware_at = :moved"),
                     {"moved": (AWARE - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")})
    problems, _ = verify_incident(engine, incident_id)
    assert any("awareness time" in p for p in problems)


def test_downgrade_needs_reason_and_is_logged(db_url, inputs):
    engine = open_register(db_url)
    incident_id = open_incident(engine, inputs["assessment"], AWARE)
    with pytest.raises(UsageError):
        decide_risk(engine, incident_id, "risk", "dpo")
    decide_risk(engine, incident_id, "risk", "Jeanne DPO", "données chiffrées, clé intacte")
    with pytest.raises(UsageError):
        override_severity(engine, incident_id, "medium", "dpo", "")
    override_severity(engine, incident_id, "medium", "Jeanne DPO", "fichier inexploitable")
    incident = load_incident(engine, incident_id)
    assert incident.risk["outcome"] == "risk" and incident.risk["author"] == "Jeanne DPO"
    assert incident.risk["reason"] == "données chiffrées, clé intacte"
    assert incident.severity["level"] == "medium"
    assert incident.severity["override_reason"] == "fichier inexploitable"


def test_export_register_csv_and_json(db_url, inputs):
    engine = open_register(db_url)
    first = open_incident(engine, inputs["assessment"], AWARE)
    open_incident(engine, inputs["assessment"], AWARE, nature=("availability",))
    decide_risk(engine, first, "high", "dpo")
    rows = list(csv.DictReader(io.StringIO(export_register(engine, "csv"))))
    assert [r["nature"] for r in rows] == ["confidentiality", "availability"]
    assert rows[0]["risk_decision"] == "high" and rows[1]["risk_decision"] == ""
    assert rows[0]["persons"] == "120"
    data = json.loads(export_register(engine, "json"))
    assert len(data["register"]) == 2 and "R000000" not in json.dumps(data)


def test_bad_affected_csv_names_file_and_line(home, inputs):
    path = inputs["affected"]
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace("0.990000", "beaucoup")
    path.write_text("\n".join(lines) + "\n")
    engine = open_register(None)
    with pytest.raises(InputError) as err:
        open_incident(engine, inputs["assessment"], AWARE)
    assert str(err.value).endswith("line 4: match_probability is not a number")
    assert "beaucoup" not in str(err.value)


def test_bad_assessment_is_an_input_error(home, tmp_path):
    (tmp_path / "assessment.json").write_text("{not json")
    with pytest.raises(InputError) as err:
        open_incident(open_register(None), tmp_path, AWARE)
    assert "assessment.json" in str(err.value)


def test_master_key_file_is_private(home, inputs):
    open_incident(open_register(None), inputs["assessment"], AWARE)
    assert (home / "master.key").stat().st_mode & 0o777 == 0o600
    assert (home / "register.sqlite").stat().st_mode & 0o777 == 0o600


def test_verify_detects_a_removed_affected_person(db_url, inputs):
    engine = open_register(db_url)
    incident_id = open_incident(engine, inputs["assessment"], AWARE)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM vigie_affected WHERE id = (SELECT MIN(id) FROM vigie_affected)"))
    problems, _ = verify_incident(engine, incident_id)
    assert problems == ["affected persons differ from those sealed at opening"]


def test_hostile_assessment_counts_are_input_errors(home, tmp_path, inputs):
    data = json.loads((inputs["assessment"] / "assessment.json").read_text())
    data["persons"]["distinct"] = "beaucoup"
    (inputs["assessment"] / "assessment.json").write_text(json.dumps(data))
    with pytest.raises(InputError) as err:
        open_incident(open_register(None), inputs["assessment"], AWARE)
    assert "persons.distinct" in str(err.value)


def test_duplicate_registry_id_names_the_file(home, inputs):
    with open(inputs["affected"], "a") as fh:
        fh.write("R000003,0.9,7,last_name\n")
    with pytest.raises(InputError) as err:
        open_incident(open_register(None), inputs["assessment"], AWARE)
    assert str(err.value).startswith(str(inputs["affected"]))
