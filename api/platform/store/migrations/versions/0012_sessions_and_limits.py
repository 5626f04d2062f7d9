"""Sessions the server holds (a page's cookie or a token names one; signing out, disabling the person or changing
their password ends it at once), and the counts behind the limits, so that every server process shares them:
wrong passwords by username and address, the addresses each person has signed in from, and requests per caller a
minute. Usernames, addresses and credentials are kept only as keyed hashes.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the session's secret; never the secret
        sa.Column("username", sa.String(100), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("username_key", sa.String(64), nullable=False, index=True),
        sa.Column("address_key", sa.String(64), nullable=False, index=True),
    )
    op.create_table(
        "known_sign_ins",
        sa.Column("pair_key", sa.String(64), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "request_counts",
        sa.Column("caller", sa.String(64), primary_key=True),
        sa.Column("minute", sa.Integer, primary_key=True, index=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("request_counts")
    op.drop_table("known_sign_ins")
    op.drop_table("sign_in_failures")
    op.drop_table("sessions")
