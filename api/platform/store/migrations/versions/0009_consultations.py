"""Consultations: the settings consulted about a child's placement, their statutory deadlines, their replies and
who considered each. On PostgreSQL both tables have row-level security by council, like the children (0004).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None
TABLES = ("consultations", "consulted_settings")
POLICY = """(current_setting('placewise.councils', true) = '*'
    OR council = ANY (string_to_array(coalesce(current_setting('placewise.councils', true), ''), ',')))"""


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False, index=True),
        sa.Column("case_reference", sa.String(20)),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("closed_by", sa.String(100)),
    )
    op.create_table(
        "consulted_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("consultation_id", sa.String(36), sa.ForeignKey("consultations.id"), nullable=False, index=True),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("provider_name", sa.String(200), nullable=False),
        sa.Column("sent_on", sa.Date, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False, index=True),
        sa.Column("reply", sa.String(20)),
        sa.Column("reason", sa.String(40)),
        sa.Column("replied_on", sa.Date),
        sa.Column("recorded_by", sa.String(100)),
        sa.Column("considered_by", sa.String(100)),
        sa.Column("considered_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.String(1000)),
        sa.UniqueConstraint("consultation_id", "provider_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {table}_by_council ON {table} USING {POLICY}")


def downgrade() -> None:
    op.drop_table("consulted_settings")
    op.drop_table("consultations")
