"""Vacancy reports: places free at a provider, for the setting or one need, as reported through the API.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vacancy_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("provider_id", sa.Integer, nullable=False, index=True),
        sa.Column("need", sa.String(4), nullable=False),
        sa.Column("vacancies", sa.Integer, nullable=False),
        sa.Column("reported_by", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("vacancy_reports")
