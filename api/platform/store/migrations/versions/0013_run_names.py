"""Runs people can tell apart: each scenario job's name and label (the owner may change both), its scenario's own
description, kept as submitted, and its kind (empty for a scenario run; ``decomposition`` for two runs' difference
decomposed by change).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("name", sa.String(100)))
    op.add_column("jobs", sa.Column("label", sa.String(100)))
    op.add_column("jobs", sa.Column("description", sa.Text))
    op.add_column("jobs", sa.Column("kind", sa.String(20)))
    jobs = sa.table("jobs", sa.column("id", sa.String), sa.column("spec", sa.JSON), sa.column("name", sa.String),
                    sa.column("description", sa.Text))
    connection = op.get_bind()
    for job_id, spec in connection.execute(sa.select(jobs.c.id, jobs.c.spec)).all():  # runs named as they ran
        spec = spec if isinstance(spec, dict) else {}
        connection.execute(jobs.update().where(jobs.c.id == job_id).values(
            name=str(spec.get("name") or "Scenario")[:100], description=str(spec.get("description") or "") or None))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("kind")
        batch.drop_column("description")
        batch.drop_column("label")
        batch.drop_column("name")
