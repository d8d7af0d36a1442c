"""Fixtures for the incident register tests: a private VIGIE_HOME, synthetic inputs, and a
register on SQLite (default) or on the real local PostgreSQL in a schema of its own."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import psycopg
import pytest

PG_ADMIN = "host=127.0.0.1 user=postgres dbname=test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1/test"

_spec = importlib.util.spec_from_file_location(
    "vigie_incident_synthetic_inputs", Path(__file__).with_name("synthetic_inputs.py"))
synthetic_inputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic_inputs)


@pytest.fixture
def synthetic():
    """The synthetic-inputs module (assessment, kinds of patient i, builders)."""
    return synthetic_inputs


@pytest.fixture
def inputs(tmp_path):
    return synthetic_inputs.build(tmp_path / "run", patients=40)


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    schema = f"vigie_incidents_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_URL}?options=-csearch_path%3D{schema}", schema
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, home):
    """The register URL on both backends: None (SQLite file under VIGIE_HOME) or PostgreSQL."""
    if request.param == "sqlite":
        return None
    url, _schema = request.getfixturevalue("pg_url")
    return url
