"""Alembic migrations of the incident register, run programmatically by vigie.incidents.db."""
