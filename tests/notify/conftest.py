"""Fixtures for the notify tests: private VIGIE_HOME, synthetic inputs, an incident with
the DPO's facts recorded, and the real local SMTP / HTTP servers."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from vigie.incidents import open_incident, open_register, record_facts

HERE = Path(__file__).parent


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synthetic_inputs = _load("vigie_notify_synthetic_inputs",
                         HERE.parent / "incidents" / "synthetic_inputs.py")
local_servers = _load("vigie_notify_local_servers", HERE / "local_servers.py")

FACTS = {
    "organisation": "Laboratoire Exemple", "dpo_name": "Jeanne Essai",
    "dpo_contact": "dpo@labo-exemple.test", "contact_point": "0800 000 000 (numéro dédié)",
    "measures": "Serveur isolé, mots de passe réinitialisés, plainte déposée.",
    "description": "Copie non autorisée d'une base de comptes rendus d'analyses.",
}


@pytest.fixture
def make_incident(home, tmp_path):
    """Factory: (engine, incident id, inputs) with the DPO's facts (or `facts`) recorded."""
    def make(patients: int = 40, *, hours_ago: float = 2, facts=None):
        inputs = synthetic_inputs.build(tmp_path / "run", patients=patients)
        engine = open_register(None)
        aware = datetime.now(timezone.utc) - timedelta(hours=hours_ago)
        incident_id = open_incident(engine, inputs["assessment"], aware)
        record_facts(engine, incident_id, dict(FACTS if facts is None else facts), "dpo")
        return engine, incident_id, inputs
    return make


@pytest.fixture
def incident(make_incident):
    return make_incident()


@pytest.fixture
def facts():
    return dict(FACTS)


@pytest.fixture
def servers():
    running = local_servers.Servers()
    yield running
    running.stop()


@pytest.fixture
def dsn_servers():
    """The local servers, the SMTP one speaking the DSN extension (RFC 3461)."""
    running = local_servers.Servers(dsn=True)
    yield running
    running.stop()


@pytest.fixture
def synthetic():
    """The synthetic-inputs module (contacts of patient i, builders)."""
    return synthetic_inputs


@pytest.fixture
def pg_url():
    """A PostgreSQL register URL whose search_path is a fresh schema, dropped afterwards."""
    import uuid

    import psycopg
    schema = f"vigie_notify_{uuid.uuid4().hex[:10]}"
    admin = "host=127.0.0.1 user=postgres dbname=test"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1/test?options=-csearch_path%3D{schema}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
