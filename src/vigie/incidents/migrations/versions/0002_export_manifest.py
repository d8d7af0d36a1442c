"""Export manifest (vigie export / vigie trace): exports, members, canaries, identity lookups.

Revision ID: 0002
Revises: 0001

Registers written by Vigie before this migration may already hold these tables (they were
created outside Alembic): a table that exists is adopted as it is, never recreated.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("vigie_exports", "vigie_export_members", "vigie_export_canaries",
          "vigie_export_identities")


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "vigie_exports" not in existing:
        op.create_table(
            "vigie_exports",
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("export_id", sa.String(40), nullable=False, unique=True),
            sa.Column("entry_json", sa.Text, nullable=False),
            sa.Column("prev_hash", sa.String(64), nullable=False),
            sa.Column("hash", sa.String(64), nullable=False),
        )
    if "vigie_export_members" not in existing:
        op.create_table(
            "vigie_export_members",
            sa.Column("export_seq", sa.Integer, sa.ForeignKey("vigie_exports.seq"),
                      primary_key=True),
            sa.Column("person_key", sa.String(64), primary_key=True),
        )
        op.create_index("ix_vigie_export_members_person", "vigie_export_members",
                        ["person_key"])
    if "vigie_export_canaries" not in existing:
        op.create_table(
            "vigie_export_canaries",
            sa.Column("export_seq", sa.Integer, sa.ForeignKey("vigie_exports.seq"),
                      primary_key=True),
            sa.Column("person_key", sa.String(64), primary_key=True),
            sa.Column("row_json", sa.Text, nullable=False),
        )
    if "vigie_export_identities" not in existing:
        op.create_table(
            "vigie_export_identities",
            sa.Column("lookup", sa.String(32), primary_key=True),
            sa.Column("person_key", sa.String(64), primary_key=True),
            sa.Column("family", sa.String(10), nullable=False),
        )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
