"""The mysqldump and pgdump leak shapes: real servers' dumps of the population, read back
by Vigie's own readers and checked against the population and the ground truth."""

from __future__ import annotations

import psycopg
import pymysql
import pytest

from vigie.sources import open_source
from vigie.synth.leaks import SHAPES, write_leak
from vigie.synth.population import generate_population

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def pop():
    return generate_population(300, seed=11)


def read_back(path) -> tuple[str, dict[str, list[dict]]]:
    source = open_source(str(path))
    return source.info.format, {t.name: [r for b in t.batches() for r in b.to_pylist()]
                                for t in source.tables()}


def leftover_databases() -> set[str]:
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres") as conn:
        pg = {r[0] for r in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'vigie_synth_%'")}
    conn = pymysql.connect(host="127.0.0.1", user="root")
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW DATABASES LIKE 'vigie\\_synth\\_%'")
            return pg | {r[0] for r in cur.fetchall()}
    finally:
        conn.close()


@pytest.mark.parametrize("shape_name, dump_format, patients, visits, visit_fk, nir, note, others", [
    ("mysqldump", "mysqldump", "patients", "appointments", "patient_id",
     "social_security_number", "internal_note", set()),
    ("pgdump", "pgdump", "patients", "resultats", "patient_id", "nir", "commentaire",
     {"analyses"}),
])
def test_dump_shape_reads_back_exactly(pop, tmp_path, shape_name, dump_format, patients,
                                       visits, visit_fk, nir, note, others):
    assert shape_name in SHAPES
    before = leftover_databases()
    written = write_leak(shape_name, pop, tmp_path, seed=3)
    assert leftover_databases() == before                     # temp database dropped
    truth = written.truth
    [dump] = written.files
    text = dump.read_bytes()
    if shape_name == "mysqldump":
        assert text.startswith(b"/*M!999999") and b"-- Dump completed" in text
    else:
        assert b"\\restrict " in text and b"COPY public.resultats" in text

    fmt, tables = read_back(dump)
    assert fmt == dump_format
    expected = {t["name"]: t for t in truth["tables"]}
    assert set(tables) == set(expected) == {patients, visits} | others
    for name, rows in tables.items():
        assert len(rows) == expected[name]["rows"]
        assert list(rows[0]) == [c["name"] for c in expected[name]["columns"]]

    by_id = {r["id"]: r for r in tables[patients]}
    population = pop.patients.to_pylist()
    for position in (0, 57, len(population) - 1):
        person = population[position]
        row = by_id[str(position + 1)]
        assert row[nir] == person["nir"]
        assert row["email" if shape_name == "mysqldump" else "telephone"] == \
            person["email" if shape_name == "mysqldump" else "phone"]
        assert row["birthdate" if shape_name == "mysqldump" else "date_naissance"] == \
            person["date_of_birth"].isoformat()
    notes = [r[note] for r in tables[visits]]
    source_notes = pop.visits.column("note").to_pylist()
    assert sorted(n for n in notes if n) == sorted(n for n in source_notes if n)
    assert {r[visit_fk] for r in tables[visits]} <= set(by_id)
    assert truth["persons"]["distinct"] == len(population)
    assert truth["exposure"]["nir"]["persons"] == sum(1 for p in population if p["nir"])

    if shape_name == "pgdump":
        analyses_are_the_results_one_per_row(pop, tables["analyses"])
    else:
        reasons = [r["reason"] for r in sorted(tables[visits], key=lambda r: int(r["id"]))]
        assert reasons == pop.visits.column("reason").to_pylist()      # the booked reason


def analyses_are_the_results_one_per_row(pop, rows: list[dict]) -> None:
    """The long results table: exam, value alone, unit, in the visits' order."""
    rows = sorted(rows, key=lambda r: int(r["id"]))
    visits = pop.visits.to_pylist()
    assert [r["examen"] for r in rows] == [e for v in visits for e in v["lab_test"].split("|")]
    assert [r["valeur"] for r in rows] == [x for v in visits for x in v["lab_values"].split("|")]
    assert [r["unite"] for r in rows] == [u or None for v in visits
                                          for u in v["lab_units"].split("|")]
    patient_of = {p["patient_id"]: str(i + 1) for i, p in enumerate(pop.patients.to_pylist())}
    assert [r["patient_id"] for r in rows] == [patient_of[v["patient_id"]] for v in visits
                                               for _ in v["lab_test"].split("|")]
    assert any(r["unite"] is None for r in rows) and any("," in r["valeur"] for r in rows)
