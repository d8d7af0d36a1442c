"""What the leak files contain: the notations, formats and traps each shape promises."""

from __future__ import annotations

import csv
import datetime
import json
import re
import sqlite3

import openpyxl
import pyarrow as pa
import pytest
from python_calamine import CalamineWorkbook
from stdnum.fr import nir as stdnum_nir

from vigie.synth.leaks import notation as nt
from vigie.synth.leaks import write_leak
from vigie.synth.truth import TruthBuilder
from vigie.synth.population import generate_population


@pytest.fixture(scope="module")
def pop():
    return generate_population(400, 21)


@pytest.fixture(scope="module")
def leak(pop, tmp_path_factory):
    root = tmp_path_factory.mktemp("content")
    cache = {}

    def write(name: str):
        if name not in cache:
            cache[name] = write_leak(name, pop, root / name, 3)
        return cache[name]

    return write


def test_phone_notations():
    phones = pa.array(["0612345678", "0590123456", None])
    assert nt.phone_text(phones, "spaced").to_pylist() == ["06 12 34 56 78", "05 90 12 34 56", None]
    assert nt.phone_text(phones, "dotted").to_pylist()[0] == "06.12.34.56.78"
    assert nt.phone_text(phones, "dashed").to_pylist()[0] == "06-12-34-56-78"
    # Overseas numbers are not +33: they stay national rather than become wrong.
    assert nt.phone_text(phones, "intl").to_pylist() == ["+33 6 12 34 56 78", "05 90 12 34 56",
                                                         None]
    assert nt.phone_text(phones, "e164").to_pylist()[:2] == ["+33612345678", "0590123456"]


def test_nir_notations_and_names():
    nirs = pa.array(["284057512345637", "1952A12345678xx"])
    assert nt.nir_text(nirs, "spaced").to_pylist() == ["2 84 05 75 123 456 37",
                                                       "1 95 2A 12 345 678 xx"]
    assert nt.nir_text(nirs, "key_apart").to_pylist()[0] == "2840575123456 37"
    assert nt.nir_text(nirs, "lower").to_pylist()[1] == "1952a12345678xx"
    assert nt.legacy_name(pa.array(["Hélène Lefèvre-Noël"])).to_pylist() == ["HELENE LEFEVRE-NOEL"]
    dates = pa.array([datetime.date(1984, 5, 2)])
    assert nt.date_text(dates, "dd-mm-yy").to_pylist() == ["02-05-84"]
    assert nt.date_text(dates, "yyyymmdd").to_pylist() == ["19840502"]


def test_truth_builder_counts_what_is_written():
    builder = TruthBuilder(pa.array(["P1", "P2", "P3"]), "unit", "csv")
    table = builder.table("t", [("id", "record_id"), ("mail", "email"), ("trt", "medication"),
                                ("note", "medical_free_text")])
    table.observe(pa.array(["P1", "P2", "P1"]),
                  {"mail": pa.array(["a@x.fr", "  ", None]),
                   "trt": pa.array([None, None, None]),
                   "note": pa.array(["VIH+ sous BIKTARVY", None, "RAS"])},
                  {"note": pa.array([["hiv", "medication"], ["pregnancy"], []],
                                    pa.list_(pa.string()))})
    truth = builder.build()
    assert truth["tables"][0]["rows"] == 3
    assert truth["persons"] == {"distinct": 2}
    assert truth["exposure"]["email"] == {"persons": 1}       # blank is not written
    assert truth["exposure"]["hiv"] == {"persons": 1}
    assert "pregnancy" not in truth["exposure"]               # its note was not written
    assert truth["exposure"]["medication"] == {"persons": 1}  # column empty, note names a drug
    with pytest.raises(ValueError):
        builder.table("bad", [("x", "not_a_kind")])


def test_lab_semicolon_values(leak):
    written = leak("lab-semicolon")
    raw = written.files[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")                      # accents are cp1252 bytes
    rows = list(csv.DictReader(raw.decode("cp1252").splitlines(), delimiter=";"))
    assert all(stdnum_nir.is_valid(r["NSS"].replace(" ", "")) for r in rows)
    assert any(" " in r["NSS"] for r in rows) and any(" " not in r["NSS"] for r in rows)
    assert all(r["NOM"] == r["NOM"].upper() for r in rows)
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", r["DDN"]) for r in rows)
    assert any(re.fullmatch(r"0\d( \d\d){4}", r["TEL"]) for r in rows)


def test_webapp_credentials(leak):
    with open(leak("webapp-csv").files[0], encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hashes = [r["password_hash"] for r in rows]
    bcrypt = [h for h in hashes if re.fullmatch(r"\$2b\$12\$[./A-Za-z0-9]{53}", h)]
    argon2 = [h for h in hashes if h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")]
    sha256 = [h for h in hashes if re.fullmatch(r"[0-9a-f]{64}", h)]
    assert len(bcrypt) + len(argon2) + len(sha256) == len(rows)
    assert len(bcrypt) > len(argon2) > 0 and sha256
    assert len(set(hashes)) == len(rows)
    assert all(re.fullmatch(r"[\d.]+|2a01:cb1c(:[0-9a-f]{4}){6}", r["ip_address"]) for r in rows)
    assert all(r["last_login_at"] == "" or r["last_login_at"] >= r["created_at"] for r in rows)
    assert 0 < sum(1 for r in rows if r["social_security_number"]) < len(rows)


def test_pipe_file_has_no_header(leak, pop):
    first = leak("pipe-noheader").files[0].read_text(encoding="utf-8").splitlines()[0]
    assert first.split("|")[0] == pop.patients.column("patient_id")[0].as_py()


def test_json_nested_keeps_arrays_of_objects(leak):
    with open(leak("json-nested").files[0], encoding="utf-8") as fh:
        first = json.loads(fh.readline())
    assert isinstance(first["appointments"], list) and first["appointments"]
    assert set(first["appointments"][0]) == {"date", "reason", "lab_tests", "diagnosis",
                                             "treatment", "note"}
    assert re.fullmatch(r"[0-9a-f]{24}", first["_id"]["$oid"])


def test_excel_formula_is_stored_not_evaluated(leak):
    path = leak("excel").files[0]
    formulas = openpyxl.load_workbook(path, read_only=True)["synthese"]
    cells = [row for row in formulas.iter_rows(values_only=True)]
    assert cells[1][1].startswith("=COUNTA(")               # the formula text is in the file
    cached = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("synthese").to_python()
    assert cached[1][1] == 400                              # and its cached value
    patients = openpyxl.load_workbook(path, read_only=True)["patients"]
    second = next(patients.iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(second[5], datetime.datetime)         # date of birth is a date cell


def test_sqlite_visits_reference_patients(leak, pop):
    con = sqlite3.connect(leak("sqlite").files[0])
    orphans = con.execute("SELECT count(*) FROM visits v LEFT JOIN patients p "
                          "ON p.id = v.patient_id WHERE p.id IS NULL").fetchone()[0]
    fks = con.execute("PRAGMA foreign_key_list(visits)").fetchall()
    counted = con.execute("SELECT count(*) FROM visits").fetchone()[0]
    con.close()
    assert orphans == 0 and fks[0][2] == "patients" and counted == pop.visits.num_rows


def test_catalogue_references_are_never_nirs(leak):
    with open(leak("catalogue").files[0], encoding="utf-8", newline="") as fh:
        refs = [r["reference"] for r in csv.DictReader(fh, delimiter=";")]
    assert len(refs) == 400 == len(set(refs))
    assert all(len(r) == 15 and r.isdigit() for r in refs)
    assert not any(stdnum_nir.is_valid(r) for r in refs)


def test_messy_is_messy(leak):
    written = leak("messy")
    with open(written.files[0], encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert len(body) == written.truth["tables"][0]["rows"]
    assert any(len(r) < len(header) for r in body)              # ragged rows
    assert any("\n" in field for r in body for field in r)     # multi-line quoted notes
    births = [r[1] for r in body]
    for pattern in (r"\d\d/\d\d/\d{4}", r"\d{4}-\d\d-\d\d", r"\d\d-\d\d-\d\d"):
        assert any(re.fullmatch(pattern, b) for b in births), pattern
    phones = [r[3] for r in body]
    for pattern in (r"0\d( \d\d){4}", r"\+33 \d( \d\d){4}", r"0\d(\.\d\d){4}", r"0\d{9}"):
        assert any(re.fullmatch(pattern, p) for p in phones), pattern
    assert any(re.fullmatch(r"\d \d\d \d\d \w\w \d{3} \d{3} \d\d", r[2]) for r in body)
