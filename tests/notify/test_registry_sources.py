"""The registry with the patients' contacts is read through vigie.sources: a CSV, a
Parquet file, or a table of a live PostgreSQL database by URL give the same messages;
a registry without an identifier or contact column is one clear error naming it."""

from __future__ import annotations

import csv
import uuid

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from vigie.errors import InputError
from vigie.notify.patients import draft_patients

PG_ADMIN = "host=127.0.0.1 user=postgres dbname=postgres"


def drafted(manifest) -> set[tuple[str, str, str]]:
    with open(manifest, newline="") as fh:
        return {(r["registry_id"], r["channel"], r["kinds"]) for r in csv.DictReader(fh)}


def as_strings(path) -> pa.Table:
    """The registry CSV as an all-text Arrow table (phones keep their leading 0)."""
    with open(path, newline="", encoding="utf-8") as fh:
        names = next(csv.reader(fh))
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names}, strings_can_be_null=False))


@pytest.fixture
def registry_db(synthetic):
    """A scratch PostgreSQL database holding the registry (plus an unrelated table),
    dropped afterwards."""
    name = f"vigie_registry_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}") as conn:
            columns = list(synthetic.contact_for(0))
            conn.execute("CREATE TABLE patients (" + ", ".join(f"{c} text" for c in columns)
                         + ")")
            conn.execute("CREATE TABLE sites (code text, label text)")
            conn.execute("INSERT INTO sites VALUES ('LAB0', 'Laboratoire Est')")
            with conn.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO patients VALUES ({', '.join(['%s'] * len(columns))})",
                    [[synthetic.contact_for(i)[c] or None for c in columns] for i in range(45)])
        yield f"postgresql://postgres@127.0.0.1/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_parquet_and_postgresql_registries_give_the_csv_messages(incident, tmp_path,
                                                                 registry_db):
    engine, incident_id, inputs = incident
    from_csv = drafted(draft_patients(engine, incident_id, inputs["registry"], tmp_path / "csv"))
    assert len({rid for rid, _, _ in from_csv}) == 40
    parquet = tmp_path / "registry.parquet"
    pq.write_table(as_strings(inputs["registry"]), parquet)
    assert drafted(draft_patients(engine, incident_id, parquet, tmp_path / "pq")) == from_csv
    assert drafted(draft_patients(engine, incident_id, registry_db, tmp_path / "pg")) == from_csv


def test_registry_without_identifier_column_names_the_file(incident, tmp_path):
    engine, incident_id, _ = incident
    registry = tmp_path / "contacts.csv"
    registry.write_text("nom,email\nEssai,patient0@exemple.test\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        draft_patients(engine, incident_id, registry, tmp_path / "out")
    assert str(err.value) == f"{registry}: no identifier column (registry_id, patient_id, id)"


def test_registry_without_contact_columns_names_the_file(incident, tmp_path):
    engine, incident_id, _ = incident
    registry = tmp_path / "ids.parquet"
    pq.write_table(pa.table({"registry_id": ["R000000"], "address": ["1 rue de l'Essai"]}),
                   registry)
    with pytest.raises(InputError) as err:
        draft_patients(engine, incident_id, registry, tmp_path / "out")
    assert str(err.value).startswith(f"{registry}")
    assert "no contact column: need email, phone, or address + postcode + city" in str(err.value)
