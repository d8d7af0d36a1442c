"""The manifest in a PostgreSQL register (production setting), on the real local server."""

from __future__ import annotations

import uuid

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from vigie.synth.population import generate_population
from vigie.trace import export_source, open_manifest, trace_leak, verify_manifest

PG_ADMIN = "host=127.0.0.1 user=postgres dbname=test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1/test"


@pytest.fixture
def pg_url():
    schema = f"vigie_trace_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.db
def test_export_and_trace_with_the_manifest_in_postgresql(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VIGIE_MASTER_KEY", "11" * 32)
    patients = generate_population(400, 9).patients.select(
        ["patient_id", "first_name", "last_name", "date_of_birth", "nir", "phone", "email"])
    pacsv.write_csv(pa.table({c: patients.column(c).cast(pa.string())
                              for c in patients.column_names}), tmp_path / "reg.csv")
    done = [export_source(str(tmp_path / "reg.csv"), id_column="patient_id",
                          recipient=f"R{i}", purpose="pg", out=tmp_path / f"e{i}.parquet",
                          db_url=pg_url) for i in range(2)]
    result = trace_leak(str(tmp_path / "e1.parquet"), db_url=pg_url)
    assert [e.export_id for e in result.attributions] == [done[1].export_id]
    assert result.checked_exports == 2
    problems, head = verify_manifest(open_manifest(pg_url))
    assert problems == [] and len(head) == 64
    assert not (tmp_path / "home" / "register.sqlite").exists()
