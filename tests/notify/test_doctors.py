"""Doctors named in the leak get their own notice: the leak is read again at draft time
(the register keeps no leaked value), patients are grouped by doctor (RPPS, else the
normalised name), and each notice gives that doctor's patient count and the kinds
leaked about those patients, never a patient's value. Checked against the synthetic
practice database itself (SQL over the SQLite file) and the assessment's own counts."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from vigie.cli.app import app
from vigie.errors import UsageError
from vigie.incidents import load_incident, open_incident, open_register, record_facts
from vigie.notify.doctors import draft_doctors

PATIENTS = ["BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "MOREAU", "LAURENT", "SIMON"]
FIRST = ["Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jules"]


def vigie(home: Path, *args) -> object:
    return CliRunner(env={"VIGIE_HOME": str(home), "VIGIE_MASTER_KEY": None}).invoke(
        app, [str(a) for a in args])


def flat(text: str) -> str:
    return " ".join(text.replace("**", "").split())


@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    """A synthetic practice-management database (patients with their GP's name and RPPS,
    visits with results and notes) and its assessment."""
    work = tmp_path_factory.mktemp("practice")
    home = work / "home"
    made = vigie(home, "synth", "leak", "--shape", "sqlite", "--patients", "200", "--seed", "3",
                 "--out", work / "leak")
    assert made.exit_code == 0, made.output
    database = work / "leak" / "cabinet.sqlite"
    assessed = vigie(home, "assess", database, "--out", work / "assessment", "--format", "json")
    assert assessed.exit_code == 0, assessed.output
    return database, work / "assessment"


@pytest.fixture
def opened(practice, home, facts):
    database, assessment = practice
    engine = open_register(None)
    incident_id = open_incident(engine, assessment,
                                datetime.now(timezone.utc) - timedelta(hours=3))
    record_facts(engine, incident_id, facts, "dpo")
    return engine, incident_id, database, assessment


def test_cli_writes_one_notice_per_doctor_with_their_patients(opened, home, tmp_path, facts):
    engine, incident_id, database, assessment = opened
    result = vigie(home, "notify", "draft", "doctors", "--incident", incident_id,
                   "--leak", database, "--out", tmp_path / "notices")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "notices" / "doctors"
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["doctor", "rpps", "patients", "kinds", "markdown", "pdf"]

    db = sqlite3.connect(database)
    truth = {rpps: (name, n, ibans) for rpps, name, n, ibans in db.execute(
        "SELECT rpps_medecin, min(medecin_traitant), count(*), count(iban) FROM patients "
        "GROUP BY rpps_medecin")}
    assert {r["rpps"]: (r["doctor"], int(r["patients"])) for r in rows} == \
        {rpps: (name, n) for rpps, (name, n, _) in truth.items()}
    assert f"{len(truth)} doctors named in the leak ({len(truth)} with an RPPS number)" \
        in result.stdout
    for row in rows:                                 # nothing raw on the terminal
        assert row["doctor"] not in result.output and row["rpps"] not in result.output
    for path in [folder / "manifest.csv", *folder.glob("d*.*")]:
        assert path.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700

    # Each patient has one GP here: the doctors' counts add up to the assessment's.
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as fh:
        kinds = [set(r["kinds"].split("|")) for r in csv.DictReader(fh)]
    assert sum(int(r["patients"]) for r in rows) == 200
    assert sum("hiv" in k for k in kinds) >= 1 and all("physician" not in k for k in kinds)

    top = rows[0]
    name, patients, ibans = truth[top["rpps"]]
    notice = flat((folder / top["markdown"]).read_text(encoding="utf-8"))
    assert f"{name} (RPPS {top['rpps']})" in notice
    assert f"Nombre de vos patients dans les données exposées : {patients} [approximatif" \
        in notice
    assert f"coordonnées bancaires (IBAN) : {ibans} de vos patients" in notice
    for element in (facts["contact_point"], facts["dpo_name"], facts["dpo_contact"],
                    facts["measures"], "Des messages frauduleux peuvent vous viser",
                    "Des patients peuvent vous contacter", "Nous ne vous demanderons jamais",
                    "La liste nominative de ces patients ne figure pas dans ce courrier"):
        assert element in notice, element
    pdf = flat(" ".join(p.extract_text() for p in PdfReader(folder / top["pdf"]).pages))
    assert name in pdf and f"exposées : {patients} [approximatif" in pdf
    for last, first, nir, email, phone in db.execute(
            "SELECT nom, prenom, nir, email, telephone FROM patients WHERE rpps_medecin = ?",
            (top["rpps"],)):
        assert f"{first} {last}" not in notice and nir not in notice and phone not in notice
        assert not email or email not in notice

    draft = load_incident(engine, incident_id).drafts[-1]
    assert (draft["document"], draft["doctors"], draft["matches_assessment"]) == \
        ("doctors", len(truth), True)
    assert not any(r["doctor"] in json.dumps(draft, ensure_ascii=False) for r in rows)


def test_per_doctor_health_counts_add_up_to_the_assessment(opened, tmp_path):
    engine, incident_id, database, assessment = opened
    draft = draft_doctors(engine, incident_id, [str(database)], tmp_path / "out")
    exposure = json.loads((assessment / "assessment.json").read_text())["exposure"]
    from vigie.notify.physicians import find_doctors
    doctors, _ = find_doctors([str(database)])
    assert draft.doctors == len(doctors)
    for kind in ("hiv", "hepatitis", "iban", "nir", "lab_result"):
        assert sum(d.kinds.get(kind, 0) for d in doctors) == exposure[kind]["persons"], kind


def leak_with_spellings(path: Path) -> None:
    """60 patients of two GPs: Dr Jean MARTIN written three ways, his RPPS on half of the
    rows only; Dr Anne PETIT, no RPPS. Every fourth patient had an HIV test."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["nom", "prenom", "date_naissance", "medecin_traitant",
                         "rpps_medecin", "resultats"])
        for i in range(60):
            doctor = "Dr Anne PETIT" if i % 3 == 0 else \
                ["Dr Jean MARTIN", "MARTIN Jean", "docteur jean martin"][(i // 3) % 3]
            rpps = "10003456788" if i % 3 and i % 2 else ""
            result = "Sérologie VIH : négative" if i % 4 == 0 else "Glycémie à jeun : 0,95 g/L"
            writer.writerow([PATIENTS[i % 8], FIRST[i % 10],
                             f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1950 + i}", doctor, rpps,
                             result])


def test_spellings_of_one_doctor_are_one_doctor_and_join_their_rpps(tmp_path):
    from vigie.notify.physicians import find_doctors
    leak_with_spellings(tmp_path / "leak.csv")
    doctors, rerun = find_doctors([str(tmp_path / "leak.csv")])
    assert rerun["persons"]["distinct"] == 60
    found = {(d.rpps, d.patients, d.kinds.get("hiv", 0)) for d in doctors}
    # MARTIN: i % 3 != 0 -> 40 patients, HIV tests at i % 4 == 0 among them -> 10.
    assert found == {("10003456788", 40, 10), ("", 20, 5)}
    petit = next(d for d in doctors if not d.rpps)
    assert petit.name == "Dr Anne PETIT"


def test_split_name_columns_are_one_name(tmp_path):
    from vigie.notify.physicians import find_doctors
    path = tmp_path / "leak.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["nom", "prenom", "date_naissance", "nom_medecin", "prenom_medecin"])
        for i in range(60):
            writer.writerow([PATIENTS[i % 8], FIRST[i % 10],
                             f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1950 + i}",
                             *[("MARTIN", "Jean"), ("PETIT", "Anne"), ("DURAND", "Paul")][i % 3]])
    doctors, _ = find_doctors([str(path)])
    assert sorted((d.name, d.patients) for d in doctors) == [
        ("DURAND Paul", 20), ("MARTIN Jean", 20), ("PETIT Anne", 20)]


def test_a_different_leak_is_flagged_and_facts_are_required(opened, home, tmp_path, facts):
    engine, incident_id, _, _ = opened
    leak_with_spellings(tmp_path / "other.csv")
    result = vigie(home, "notify", "draft", "doctors", "--incident", incident_id,
                   "--leak", tmp_path / "other.csv", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "warning: this leak holds 60 distinct persons, the incident's assessment 200" \
        in " ".join(result.stderr.split())
    assert load_incident(engine, incident_id).drafts[-1]["matches_assessment"] is False
    missing = vigie(home, "notify", "draft", "doctors", "--incident", incident_id,
                    "--out", tmp_path / "out")
    assert isinstance(missing.exception, UsageError) and "--leak" in str(missing.exception)
    engine2 = open_register(None)
    bare = open_incident(engine2, opened[3], datetime.now(timezone.utc))
    with pytest.raises(UsageError) as err:
        draft_doctors(engine2, bare, [str(tmp_path / "other.csv")], tmp_path / "out")
    assert "contact_point" in str(err.value)
