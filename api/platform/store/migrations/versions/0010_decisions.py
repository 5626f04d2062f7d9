"""Decisions: append-only versions, each the canonical JSON of what it rests on, hashed (SHA-256) and chained to
the one before. Triggers refuse UPDATE and DELETE on SQLite and PostgreSQL (and TRUNCATE on PostgreSQL), where no
role but the owner keeps UPDATE, DELETE or TRUNCATE on the table, and row-level security holds it to the councils
each transaction names, like the children (0004).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None
_REFUSE = "decisions are append-only: a past version cannot be changed or removed; record a reconsideration"
POLICY = """(current_setting('placewise.councils', true) = '*'
    OR council = ANY (string_to_array(coalesce(current_setting('placewise.councils', true), ''), ',')))"""


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("decision_id", sa.String(36), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False, index=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("previous_hash", sa.String(64)),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("decision_id", "version"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE OR REPLACE FUNCTION decisions_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$""")
        op.execute("CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions "
                   "FOR EACH ROW EXECUTE FUNCTION decisions_refuse()")
        op.execute("CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions "
                   "FOR EACH STATEMENT EXECUTE FUNCTION decisions_refuse()")
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON decisions FROM PUBLIC")
        op.execute("""DO $$ DECLARE grantee text; BEGIN
            FOR grantee IN SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
                WHERE g.table_name = 'decisions' AND g.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
                AND g.grantee <> (SELECT tableowner FROM pg_tables WHERE tablename = 'decisions' LIMIT 1)
            LOOP EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON decisions FROM %I', grantee); END LOOP;
            END $$""")
        op.execute("ALTER TABLE decisions ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE decisions FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY decisions_by_council ON decisions USING {POLICY}")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER decisions_no_{verb.lower()} BEFORE {verb} ON decisions "
                       f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS decisions_no_truncate ON decisions")
        op.execute("DROP TRIGGER IF EXISTS decisions_append_only ON decisions")
        op.execute("DROP FUNCTION IF EXISTS decisions_refuse()")
    op.drop_table("decisions")
