"""The audit: a purpose code and a case reference instead of free text (``reason`` becomes ``detail``, which only
the service writes), and rows that cannot be changed: triggers refuse UPDATE and DELETE on SQLite and PostgreSQL
(and TRUNCATE on PostgreSQL), and on PostgreSQL no role but the owner keeps UPDATE, DELETE or TRUNCATE on it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None
_REFUSE = "audit events are append-only: they cannot be changed or removed"


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("reason", new_column_name="detail", existing_type=sa.String(200))
        batch.add_column(sa.Column("purpose", sa.String(20)))
        batch.add_column(sa.Column("case_reference", sa.String(20)))
        batch.create_index("ix_audit_events_at", ["at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE OR REPLACE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$""")
        op.execute("CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
                   "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()")
        op.execute("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse()")
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC")
        op.execute("""DO $$ DECLARE grantee text; BEGIN
            FOR grantee IN SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
                WHERE g.table_name = 'audit_events' AND g.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
                AND g.grantee <> (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_events' LIMIT 1)
            LOOP EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', grantee); END LOOP;
            END $$""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                       f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{verb}")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_at")
        batch.drop_column("case_reference")
        batch.drop_column("purpose")
        batch.alter_column("detail", new_column_name="reason", existing_type=sa.String(200))
