"""The shared scenario library: scenarios a commissioner saved on the page, keyed by its body's councils, so every
person of the same commissioning body finds them and nobody of another body does.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_scenarios",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("body", sa.String(2000), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("councils", sa.JSON, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("saved_by", sa.String(100), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("saved_scenarios")
