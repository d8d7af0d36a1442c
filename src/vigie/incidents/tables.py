"""The register's tables (SQLAlchemy Core), shared by the migration and the code.

Times are stored as ISO 8601 UTC strings ('2026-11-25T14:00:00.000000Z'): identical on
SQLite and PostgreSQL, sortable, and hashed byte for byte in the chronology.
No table holds a leaked value: persons are HMACs of their registry identifier.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

incidents = Table(
    "vigie_incidents", metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("aware_at", String(32), nullable=False),
    Column("nature", String(80), nullable=False),          # e.g. "confidentiality|availability"
    Column("malicious", Integer, nullable=False),
    Column("role", String(20), nullable=False),            # controller | processor
    Column("assessment_json", Text, nullable=False),
    Column("assessment_sha256", String(64), nullable=False),
)

chronology = Table(
    "vigie_chronology", metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("vigie_incidents.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", String(32), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("author", String(200), nullable=False),
    Column("payload", Text, nullable=False),               # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("incident_id", "seq", name="uq_vigie_chronology_seq"),
)

affected = Table(
    "vigie_affected", metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("vigie_incidents.id"), nullable=False),
    Column("person_key", String(64), nullable=False),      # HMAC-SHA256 of the registry id
    Column("kinds", Text, nullable=False),                 # exposed kinds joined by '|'
    Column("match_probability", Float, nullable=False),
    Column("grp", String(200), nullable=False),            # controller group, '' if none
    UniqueConstraint("incident_id", "person_key", name="uq_vigie_affected_person"),
)

outbox = Table(
    "vigie_outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("vigie_incidents.id"), nullable=False),
    Column("person_key", String(64), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("template_version", String(40), nullable=False),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("status", String(20), nullable=False),   # pending | sent | delivered | bounced | failed
    Column("attempts", Integer, nullable=False),
    Column("provider_id", String(200)),
    Column("detail", String(200)),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("incident_id", "person_key", "channel", "template_version",
                     name="uq_vigie_outbox_message"),
)
