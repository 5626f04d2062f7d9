"""Idempotency keys name the child their answer concerns (so it is removed with the child) and expire by age.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("council", sa.String(9)))
        batch.add_column(sa.Column("child_id", sa.String(64)))
        batch.create_index("ix_idempotency_keys_at", ["at"])
        batch.create_index("ix_idempotency_keys_child", ["council", "child_id"])


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_index("ix_idempotency_keys_child")
        batch.drop_index("ix_idempotency_keys_at")
        batch.drop_column("child_id")
        batch.drop_column("council")
