"""Open the incident register: a SQLite file under VIGIE_HOME by default, any SQLAlchemy URL
(PostgreSQL in production) with --db; the Alembic migrations run on every open, so a
register created by an older Vigie is brought up to date before use.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from vigie.errors import UsageError
from vigie.paths import vigie_home

MIGRATIONS = Path(__file__).with_name("migrations")


def default_url() -> str:
    """The SQLite register file, created 0600 (it lists who was affected, as HMACs)."""
    path = vigie_home() / "register.sqlite"
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return f"sqlite:///{path}"


def _tune_sqlite(dbapi_connection, _record) -> None:
    """WAL + a busy timeout: a sender and a status command may use the file together."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_register(url: str | None = None) -> Engine:
    """An engine on an up-to-date register. Bad URLs are a usage error, never a traceback."""
    url = url or default_url()
    try:
        engine = create_engine(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises several types for bad URLs
        raise UsageError(f"--db: cannot use this database URL ({type(exc).__name__})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    # Imported here: alembic costs ~0.5 s, and every `vigie` command imports this module.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as exc:  # noqa: BLE001 - unreachable server, refused login...
        raise UsageError(f"--db: cannot open the incident register ({type(exc).__name__})") from None
    return engine


def utc_now() -> str:
    """Now, in the register's time format."""
    return to_utc_text(datetime.now(timezone.utc))


def to_utc_text(moment: datetime) -> str:
    """A timezone-aware datetime as the register's UTC string."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_utc_text(text: str) -> datetime:
    """The register's UTC string back to an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
