"""The manifest tables come from the register's Alembic history (0002), on SQLite and on
the real PostgreSQL, and a register created before them upgrades without losing a row."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from vigie.incidents.db import MIGRATIONS, open_register
from vigie.trace import manifest

PG_ADMIN = "host=127.0.0.1 user=postgres dbname=test"
REGISTER_TABLES = {"vigie_incidents", "vigie_chronology", "vigie_affected", "vigie_outbox"}


def _upgrade(url: str, revision: str) -> None:
    """Bring a database to `revision` the way vigie.incidents.db does."""
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def _check_schema(engine) -> None:
    """Every manifest table as the code declares it, and the history at its head."""
    found = inspect(engine)
    names = set(found.get_table_names())
    assert REGISTER_TABLES | set(manifest.metadata.tables) <= names
    for table in manifest.metadata.sorted_tables:
        columns = {c["name"] for c in found.get_columns(table.name)}
        assert columns == set(table.columns.keys()), table.name
        primary = set(found.get_pk_constraint(table.name)["constrained_columns"])
        assert primary == {c.name for c in table.primary_key}, table.name
    indexes = {i["name"] for i in found.get_indexes("vigie_export_members")}
    assert "ix_vigie_export_members_person" in indexes
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM vigie_alembic_version")).scalar() \
            == "0002"


def _append_one(engine) -> None:
    manifest.append_export(engine, {"export_id": "EXP-T", "created_at": "now",
                                    "recipient": "R"}, {"p" * 64}, {},
                           [("l" * 32, "p" * 64, "nir")])
    assert manifest.count_exports(engine) == 1
    assert manifest.verify_manifest(engine)[0] == []


def test_fresh_sqlite_register_gets_the_manifest_by_migration(tmp_path):
    engine = open_register(f"sqlite:///{tmp_path / 'register.sqlite'}")
    _check_schema(engine)
    _append_one(engine)


@pytest.mark.db
def test_fresh_postgresql_database_gets_the_manifest_by_migration():
    name = f"vigie_migrate_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        engine = open_register(f"postgresql+psycopg://postgres@127.0.0.1/{name}")
        _check_schema(engine)
        _append_one(engine)
        engine.dispose()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_register_at_0001_upgrades_and_keeps_its_incidents(tmp_path):
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    _upgrade(url, "0001")
    old = create_engine(url)
    assert not set(manifest.metadata.tables) & set(inspect(old).get_table_names())
    with old.begin() as conn:
        conn.execute(text("INSERT INTO vigie_incidents (reference, created_at, aware_at, nature, "
                          "malicious, role, assessment_json, assessment_sha256) VALUES "
                          "('INC-1', 't', 't', 'confidentiality', 1, 'controller', '{}', 'x')"))
    old.dispose()
    engine = open_register(url)
    _check_schema(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT reference FROM vigie_incidents")).scalars().all() \
            == ["INC-1"]
    _append_one(engine)


def test_manifest_tables_made_before_the_migration_are_adopted(tmp_path):
    """Vigie used to create the manifest tables outside Alembic: such a register (history
    at 0001, tables and exports present) upgrades, keeping its exports."""
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    _upgrade(url, "0001")
    old = create_engine(url)
    manifest.metadata.create_all(old)
    _append_one(old)
    old.dispose()
    engine = open_register(url)
    _check_schema(engine)
    assert [e.export_id for e in manifest.load_exports(engine)] == ["EXP-T"]
