"""Officers by name, letters as sent, mediation records and tribunal orders, and the reply each consideration saw.

- ``officers``: a person's real name, job title and delegated authority beside their pseudonymous sign-in;
- ``decision_letters``: the family's letter of each decision version exactly as sent, append-only like the decisions
  (triggers refuse UPDATE and DELETE on SQLite and PostgreSQL, and TRUNCATE on PostgreSQL);
- ``mediation_records`` and ``tribunal_orders``: the grounds a reconsideration rests on;
- ``consulted_settings.considered_reply``: the reply (and its reason) the officer considered, so a considered reply
  is seen never to have changed.
On PostgreSQL the three tables of a child's case have row-level security by council, like the decisions (0010).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None
_REFUSE = "decision letters are append-only: a letter as sent cannot be changed or removed"
POLICY = """(current_setting('placewise.councils', true) = '*'
    OR council = ANY (string_to_array(coalesce(current_setting('placewise.councils', true), ''), ',')))"""
CASE_TABLES = ("decision_letters", "mediation_records", "tribunal_orders")


def upgrade() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("job_title", sa.String(200), nullable=False),
        sa.Column("authority", sa.String(500), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "decision_letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("decision_id", sa.String(36), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("letter_hash", sa.String(64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("decision_id", "version"),
    )
    _grounds()
    with op.batch_alter_table("consulted_settings") as batch:
        batch.add_column(sa.Column("considered_reply", sa.String(80)))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE OR REPLACE FUNCTION decision_letters_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$""")
        op.execute("CREATE TRIGGER decision_letters_append_only BEFORE UPDATE OR DELETE ON decision_letters "
                   "FOR EACH ROW EXECUTE FUNCTION decision_letters_refuse()")
        op.execute("CREATE TRIGGER decision_letters_no_truncate BEFORE TRUNCATE ON decision_letters "
                   "FOR EACH STATEMENT EXECUTE FUNCTION decision_letters_refuse()")
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON decision_letters FROM PUBLIC")
        for table in CASE_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {table}_by_council ON {table} USING {POLICY}")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER decision_letters_no_{verb.lower()} BEFORE {verb} ON decision_letters "
                       f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END")


def _grounds() -> None:
    op.create_table(
        "mediation_records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("decision_id", sa.String(36), nullable=False, index=True),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("mediator", sa.String(200), nullable=False),
        sa.Column("certificate_on", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "tribunal_orders",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("decision_id", sa.String(36), nullable=False, index=True),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("ordered_on", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("ordered_provider_id", sa.Integer),
        sa.Column("ordered_provider_name", sa.String(200)),
        sa.Column("appeal_reference", sa.String(30), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS decision_letters_no_truncate ON decision_letters")
        op.execute("DROP TRIGGER IF EXISTS decision_letters_append_only ON decision_letters")
        op.execute("DROP FUNCTION IF EXISTS decision_letters_refuse()")
    with op.batch_alter_table("consulted_settings") as batch:
        batch.drop_column("considered_reply")
    for table in ("tribunal_orders", "mediation_records", "decision_letters", "officers"):
        op.drop_table(table)
