"""Incident register: incidents, hash-chained chronology, affected persons, sending outbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vigie_incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("aware_at", sa.String(32), nullable=False),
        sa.Column("nature", sa.String(80), nullable=False),
        sa.Column("malicious", sa.Integer, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("assessment_json", sa.Text, nullable=False),
        sa.Column("assessment_sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "vigie_chronology",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("vigie_incidents.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("incident_id", "seq", name="uq_vigie_chronology_seq"),
    )
    op.create_table(
        "vigie_affected",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("vigie_incidents.id"), nullable=False),
        sa.Column("person_key", sa.String(64), nullable=False),
        sa.Column("kinds", sa.Text, nullable=False),
        sa.Column("match_probability", sa.Float, nullable=False),
        sa.Column("grp", sa.String(200), nullable=False),
        sa.UniqueConstraint("incident_id", "person_key", name="uq_vigie_affected_person"),
    )
    op.create_table(
        "vigie_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("vigie_incidents.id"), nullable=False),
        sa.Column("person_key", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("template_version", sa.String(40), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("provider_id", sa.String(200)),
        sa.Column("detail", sa.String(200)),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("incident_id", "person_key", "channel", "template_version",
                            name="uq_vigie_outbox_message"),
    )


def downgrade() -> None:
    for name in ("vigie_outbox", "vigie_affected", "vigie_chronology", "vigie_incidents"):
        op.drop_table(name)
