"""A Parquet export keeps its source's column types (Parquet, SQLite, PostgreSQL), marks
only the text channels, and still names its export when it leaks."""

from __future__ import annotations

import datetime
import decimal
import sqlite3
import uuid

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from vigie.synth.population import generate_population
from vigie.trace import export_source, trace_leak
from vigie.trace.identity import classify_columns
from vigie.trace.manifest import load_canaries, load_exports, open_manifest

from .conftest import assert_same_meaning

PG_ADMIN = "host=127.0.0.1 user=postgres dbname=test"
TEXT = ["patient_id", "sex", "first_name", "last_name", "nir", "address", "postcode", "phone",
        "email"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VIGIE_MASTER_KEY", "33" * 32)
    return tmp_path


def _typed_registry(n: int) -> pa.Table:
    patients = generate_population(n, 12).patients
    rng = np.random.default_rng(12)
    columns = {c: patients.column(c).cast(pa.string()) for c in TEXT}
    columns["date_of_birth"] = patients.column("date_of_birth")          # date32
    columns["visits"] = pa.array(rng.integers(0, 40, n), pa.int64())
    columns["weight_kg"] = pa.array(np.round(rng.normal(70, 12, n), 1), pa.float64())
    columns["consent"] = pa.array(rng.integers(0, 2, n).astype(bool), pa.bool_())
    columns["updated_at"] = pa.array([datetime.datetime(2026, 1, 1) + datetime.timedelta(
        seconds=int(s)) for s in rng.integers(0, 10**7, n)], pa.timestamp("us"))
    columns["fee"] = pa.array([decimal.Decimal(int(c)) / 100 for c in rng.integers(0, 99999, n)],
                              pa.decimal128(8, 2))
    return pa.table(columns)


def _with_numeric_phone(table: pa.Table) -> pa.Table:
    """A second phone column stored as a number: a phone, but one spelling only."""
    numbers = [int(p) for p in table.column("phone").to_pylist()]
    return table.append_column("mobile", pa.array(numbers, pa.int64()))


def _real_rows_match(exported: pa.Table, source: pa.Table, canary_ids: set[str]) -> None:
    by_id = {row["patient_id"]: row for row in source.to_pylist()}
    real = [row for row in exported.to_pylist() if row["patient_id"] not in canary_ids]
    assert len(real) == source.num_rows
    for row in real:
        assert_same_meaning(row, by_id[row["patient_id"]])


def test_parquet_source_types_survive_and_the_export_is_still_traced(home):
    source = _with_numeric_phone(_typed_registry(1200))
    pq.write_table(source, home / "registry.parquet")
    result = export_source(str(home / "registry.parquet"), id_column="patient_id",
                           recipient="R", purpose="types", out=home / "export.parquet")
    exported = pq.read_table(home / "export.parquet")
    assert exported.schema == source.schema
    # Text phones and addresses carry marks; the numeric phone (same kind) cannot and
    # comes out equal to its source, as int64, in _real_rows_match.
    assert 1000 < result.marked["phone"] <= exported.num_rows
    assert result.marked["address"] > 1000
    engine = open_manifest()
    [entry] = load_exports(engine)
    assert classify_columns(source).kinds["mobile"] == "phone"    # a phone, yet unmarked
    assert entry.entry["channels"] == {"address": "address", "phone": "phone",
                                       "email": "email"}
    canaries = load_canaries(engine, entry.seq).values()
    _real_rows_match(exported, source, {row["patient_id"] for row in canaries})
    canary_rows = [row for row in exported.to_pylist()
                   if row["patient_id"] in {c["patient_id"] for c in canaries}]
    assert len(canary_rows) == 20
    assert all(isinstance(row["date_of_birth"], datetime.date) for row in canary_rows)
    assert all(isinstance(row["fee"], decimal.Decimal) for row in canary_rows)

    leak = exported.slice(100, 400).drop_columns(["patient_id"])
    pq.write_table(leak, home / "leak.parquet")
    traced = trace_leak(str(home / "leak.parquet"))
    assert [e.export_id for e in traced.attributions] == [result.export_id]
    assert "marks" in traced.attributions[0].layers(traced.alpha)


def test_sqlite_declared_types_survive(home):
    source = _typed_registry(300)
    path = home / "registry.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE patients (patient_id TEXT, sex TEXT, first_name TEXT, "
                     "last_name TEXT, nir TEXT, address TEXT, postcode TEXT, phone TEXT, "
                     "email TEXT, date_of_birth DATE, visits INTEGER, weight_kg REAL, "
                     "consent BOOLEAN, updated_at DATETIME, fee NUMERIC(8, 2))")
        rows = [tuple(str(v) if isinstance(v, (decimal.Decimal, datetime.date)) else v
                      for v in row.values()) for row in source.to_pylist()]
        conn.executemany(f"INSERT INTO patients VALUES ({', '.join('?' * 15)})", rows)
    export_source(str(path), id_column="patient_id", recipient="R", purpose="types",
                  out=home / "export.parquet")
    exported = pq.read_table(home / "export.parquet")
    assert exported.schema == source.schema
    engine = open_manifest()
    [entry] = load_exports(engine)
    _real_rows_match(exported, source, {row["patient_id"]
                                        for row in load_canaries(engine, entry.seq).values()})


@pytest.mark.db
def test_postgresql_declared_types_survive(home):
    source = _typed_registry(300)
    name = f"vigie_types_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}") as conn:
            conn.execute("CREATE TABLE patients (patient_id text, sex text, first_name text, "
                         "last_name text, nir text, address text, postcode text, phone text, "
                         "email text, date_of_birth date, visits bigint, "
                         "weight_kg double precision, consent boolean, updated_at timestamp, "
                         "fee numeric(8, 2))")
            with conn.cursor() as cur:
                cur.executemany(f"INSERT INTO patients VALUES ({', '.join(['%s'] * 15)})",
                                [tuple(row.values()) for row in source.to_pylist()])
        export_source(f"postgresql://postgres@127.0.0.1/{name}", id_column="patient_id",
                      recipient="R", purpose="types", out=home / "export.parquet")
        exported = pq.read_table(home / "export.parquet")
        assert exported.schema == source.schema
        engine = open_manifest()
        [entry] = load_exports(engine)
        _real_rows_match(exported, source, {row["patient_id"] for row in
                                            load_canaries(engine, entry.seq).values()})
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
