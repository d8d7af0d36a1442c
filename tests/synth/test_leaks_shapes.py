"""Every leak shape writes files that plain, independent readers parse, matching truth.json.

The readers here (csv, json, gzip, zipfile, openpyxl, sqlite3) share no code with the
writers, so a shape whose truth names the wrong columns or row counts fails.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vigie.kinds import KINDS, MENTIONS, is_personal
from vigie.synth.leaks import SHAPES, write_leak
from vigie.synth.population import generate_population

# The shapes of this module's owner; SQL-dump shapes have their own tests (real servers).
FILE_SHAPES = ["lab-semicolon", "webapp-csv", "tab-latin1", "pipe-noheader", "utf8-bom",
               "json-nested", "json-array", "excel", "sqlite", "zip", "gzip", "catalogue",
               "messy"]
N_PATIENTS = 300


@pytest.fixture(scope="module")
def pop():
    return generate_population(N_PATIENTS, 11)


@pytest.fixture(scope="module")
def leaks(pop, tmp_path_factory):
    """Every file shape written once for the module: {shape: (out_dir, LeakWritten)}."""
    root = tmp_path_factory.mktemp("leaks")
    return {name: (root / name, write_leak(name, pop, root / name, 5)) for name in FILE_SHAPES}


def delimited(text: io.TextIOBase, delimiter: str, header: bool) -> dict:
    rows = list(csv.reader(text, delimiter=delimiter))
    if header:
        return {"columns": rows[0], "rows": len(rows) - 1}
    width = max(len(r) for r in rows)
    return {"columns": [f"column_{i}" for i in range(1, width + 1)], "rows": len(rows)}


def delimited_file(path: Path, delimiter: str, header: bool = True,
                   encoding: str = "utf-8") -> dict:
    with open(path, encoding=encoding, newline="") as fh:
        return delimited(fh, delimiter, header)


def flatten_names(record: dict, prefix: str = "") -> list[str]:
    """Leaf names of a JSON record: a.b for objects, a[].b for arrays of objects."""
    names: list[str] = []
    for key, value in record.items():
        if isinstance(value, dict):
            names += flatten_names(value, f"{prefix}{key}.")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for element in value:
                names += [n for n in flatten_names(element, f"{prefix}{key}[].") if n not in names]
        else:
            names.append(prefix + key)
    return names


def json_records(records: list[dict]) -> dict:
    columns: list[str] = []
    for record in records:
        columns += [n for n in flatten_names(record) if n not in columns]
    return {"columns": columns, "rows": len(records)}


def read_independently(name: str, out: Path) -> dict[str, dict]:
    """{table name: {"columns": [...], "rows": n}} read with plain standard readers."""
    if name == "lab-semicolon":
        raw = (out / "export_labo.txt").read_bytes()
        assert b"\r\n" in raw
        return {"export_labo": delimited(io.StringIO(raw.decode("cp1252"), newline=""), ";", True)}
    if name == "webapp-csv":
        return {"users": delimited_file(out / "users.csv", ",")}
    if name == "tab-latin1":
        return {"consultations": delimited_file(out / "consultations.tsv", "\t",
                                                encoding="latin-1")}
    if name == "pipe-noheader":
        return {"extract_pat": delimited_file(out / "extract_pat.txt", "|", header=False)}
    if name == "utf8-bom":
        raw = (out / "rendez-vous.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        return {"rendez-vous": delimited_file(out / "rendez-vous.csv", ";",
                                              encoding="utf-8-sig")}
    if name == "json-nested":
        with open(out / "patients.json", encoding="utf-8") as fh:
            return {"patients": json_records([json.loads(line) for line in fh])}
    if name == "json-array":
        with open(out / "api_patients.json", encoding="utf-8") as fh:
            return {"api_patients": json_records(json.load(fh))}
    if name == "excel":
        book = openpyxl.load_workbook(out / "dossiers_patients.xlsx", read_only=True)
        tables = {}
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            tables[sheet.title] = {"columns": list(rows[0]), "rows": len(rows) - 1}
        return tables
    if name == "sqlite":
        con = sqlite3.connect(f"file:{out / 'cabinet.sqlite'}?mode=ro", uri=True)
        tables = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            tables[table] = {"columns": columns, "rows": rows}
        con.close()
        return tables
    if name == "zip":
        with zipfile.ZipFile(out / "export.zip") as zf:
            assert sorted(zf.namelist()) == ["patients.csv", "rendez_vous.json"]
            with zf.open("patients.csv") as fh:
                patients = delimited(io.TextIOWrapper(fh, "utf-8", newline=""), ",", True)
            with zf.open("rendez_vous.json") as fh:
                appointments = json_records([json.loads(line) for line in fh])
        return {"patients": patients, "rendez_vous": appointments}
    if name == "gzip":
        with gzip.open(out / "patients_export.csv.gz", "rt", encoding="utf-8", newline="") as fh:
            return {"patients_export": delimited(fh, ",", True)}
    if name == "catalogue":
        return {"catalogue_produits": delimited_file(out / "catalogue_produits.csv", ";")}
    if name == "messy":
        return {"saisie_accueil": delimited_file(out / "saisie_accueil.csv", ",")}
    raise AssertionError(f"no reader for {name}")


def test_every_file_shape_is_registered():
    assert set(FILE_SHAPES) <= set(SHAPES)
    assert all(SHAPES[name].description for name in SHAPES)


@pytest.mark.parametrize("name", FILE_SHAPES)
def test_shape_files_match_truth(name, leaks):
    out, written = leaks[name]
    truth = written.truth
    assert json.loads((out / "truth.json").read_text(encoding="utf-8")) == truth
    assert truth["shape"] == name
    assert [p.name for p in written.files] == truth["files"]
    assert all(p.exists() and p.stat().st_size > 0 for p in written.files)
    parsed = read_independently(name, out)
    assert [t["name"] for t in truth["tables"]] == list(parsed)
    for table in truth["tables"]:
        assert [c["name"] for c in table["columns"]] == parsed[table["name"]]["columns"]
        assert [c["position"] for c in table["columns"]] == list(range(len(table["columns"])))
        assert table["rows"] == parsed[table["name"]]["rows"]
        assert all(c["kind"] in KINDS for c in table["columns"])


@pytest.mark.parametrize("name", FILE_SHAPES)
def test_truth_exposure_is_consistent(name, leaks):
    truth = leaks[name][1].truth
    kinds = {c["kind"] for t in truth["tables"] for c in t["columns"]}
    exposed = set(truth["exposure"])
    assert {k for k in kinds if is_personal(k)} <= exposed
    assert exposed <= kinds | set(MENTIONS)
    for entry in truth["exposure"].values():
        assert 0 <= entry["persons"] <= truth["persons"]["distinct"]
    if name == "catalogue":
        assert truth["persons"]["distinct"] == 0 and truth["exposure"] == {}
    else:
        assert truth["persons"]["distinct"] == N_PATIENTS


def test_visit_shapes_have_several_rows_per_person(leaks, pop):
    table = leaks["lab-semicolon"][1].truth["tables"][0]
    assert table["rows"] == pop.visits.num_rows > N_PATIENTS


def test_lab_semicolon_exposure_recomputed_from_the_file(leaks, pop):
    """Recount exposure from the written file: person = normalised NSS; health mentions
    from the population's per-field ground truth of the visit each row came from."""
    out, written = leaks["lab-semicolon"]
    with open(out / "export_labo.txt", encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    visits = pop.visits.to_pylist()
    assert len(rows) == len(visits)
    persons: dict[str, set[str]] = {}

    def expose(key: str, row: dict) -> None:
        persons.setdefault(key, set()).add(row["NSS"].replace(" ", "").upper())

    for row, visit in zip(rows, visits):
        assert row["DATE_PRELEV"] == visit["visit_date"].strftime("%d/%m/%Y")
        for header, kind in (("NSS", "nir"), ("MAIL", "email"), ("NOM_JF", "birth_name"),
                             ("TEL", "phone"), ("COMMENTAIRE", "medical_free_text")):
            if row[header].strip():
                expose(kind, row)
        mentions = set(visit["lab_test_mentions"] or []) if row["ANALYSES"].strip() else set()
        if row["COMMENTAIRE"].strip():
            mentions |= set(visit["note_mentions"] or [])
        for mention in mentions:
            expose(mention, row)
    exposure = written.truth["exposure"]
    assert written.truth["persons"]["distinct"] == len(persons["nir"])
    for key in ("nir", "email", "birth_name", "phone", "medical_free_text", "hiv", "pregnancy"):
        assert exposure.get(key, {"persons": 0})["persons"] == len(persons.get(key, ())), key
    assert exposure["hiv"]["persons"] > 0


def test_birth_name_only_when_it_differs(leaks, pop):
    out, written = leaks["lab-semicolon"]
    differs = sum(1 for p in pop.patients.to_pylist() if p["birth_name"] != p["last_name"])
    assert 0 < written.truth["exposure"]["birth_name"]["persons"] == differs


@pytest.mark.parametrize("name", FILE_SHAPES)
def test_shapes_are_deterministic(name, pop, leaks, tmp_path):
    first_dir, first = leaks[name]
    again = write_leak(name, pop, tmp_path / "again", 5)
    assert again.truth == first.truth
    for a, b in zip(first.files, again.files):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_another_seed_writes_other_notations(pop, leaks, tmp_path):
    other = write_leak("messy", pop, tmp_path / "other", 6)
    assert other.files[0].read_bytes() != leaks["messy"][1].files[0].read_bytes()
