"""Alembic environment: the caller (vigie.incidents.db) hands over an open connection."""

from alembic import context

from vigie.incidents.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  version_table="vigie_alembic_version")
with context.begin_transaction():
    context.run_migrations()
