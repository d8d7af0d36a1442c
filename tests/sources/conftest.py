"""Fixtures shared by the dump-reader and live-database tests: dump files written into the
test's tmp_path, and scratch databases on the local PostgreSQL and MariaDB servers (real
servers, no mocks), each a fresh database with a random vigie_t_* name, dropped afterwards
whatever the test did."""

from __future__ import annotations

import secrets
from pathlib import Path

import psycopg
import pymysql
import pytest


@pytest.fixture
def dump_file(tmp_path):
    """write(text, name="dump.sql") -> the path of a file of tmp_path holding `text`."""
    def write(text: bytes, name: str = "dump.sql") -> Path:
        path = tmp_path / name
        path.write_bytes(text)
        return path
    return write


def _scratch_name() -> str:
    return f"vigie_t_{secrets.token_hex(4)}"


@pytest.fixture
def postgres_scratch_db():
    """(name, connection) of a new, empty PostgreSQL database; the connection is to it
    (autocommit)."""
    name = _scratch_name()
    admin = psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres",
                            autocommit=True)
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname=name,
                             autocommit=True) as conn:
            yield name, conn
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def mariadb_scratch_db():
    """(name, cursor) of a new, empty utf8mb4 MariaDB database; the cursor is in it
    (autocommit)."""
    name = _scratch_name()
    conn = pymysql.connect(host="127.0.0.1", user="root", charset="utf8mb4", autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            cur.execute(f"USE `{name}`")
            yield name, cur
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()
