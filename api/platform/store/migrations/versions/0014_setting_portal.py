"""The settings' portal: people of a setting (``users.provider_ids``, the URNs they answer for), vacancies the setting
keeps itself by need and level (who reported, when, and the reason where a need is not designated), consultation
replies in the setting's own words, offers of a place, and placement agreements signed by a named person.

- ``vacancy_reports`` gains ``need_level``, ``reason`` and ``reporter`` (``council`` or ``setting``); every report is
  kept, so the table is the history of who changed what and when;
- ``consulted_settings`` gains ``setting_words`` (the setting's own words) and ``replied_via`` (``setting`` or
  ``council``);
- ``offers``: a place offered to a setting on a decision; the setting accepts or declines; once the council accepts,
  nothing changes (each step one conditional UPDATE);
- ``placement_agreements``: the agreement (fee, start date, hours, package) signed by a named person of the setting,
  as canonical JSON with its SHA-256, append-only like the decisions (triggers refuse UPDATE and DELETE, and
  TRUNCATE on PostgreSQL); one a offer, so signing twice is refused by the store itself.
On PostgreSQL, row-level security on the case tables lets a setting's person (``placewise.providers``, the URNs
each transaction names) see only the consultations, offers, agreements and children addressed to its settings.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None
_REFUSE = "placement agreements are append-only: a signed agreement cannot be changed or removed"
COUNCILS = """(current_setting('placewise.councils', true) = '*'
    OR council = ANY (string_to_array(coalesce(current_setting('placewise.councils', true), ''), ',')))"""
PROVIDERS = "string_to_array(coalesce(current_setting('placewise.providers', true), ''), ',')::int[]"
#: Only a transaction that names settings looks any further (a council's never pays for the look-up).
NAMES_SETTINGS = "coalesce(current_setting('placewise.providers', true), '') <> ''"
#: Whether a consultation, or a council's child, is addressed to a setting the transaction names: functions that run
#: with their owner's rights, so a role granted only the children (or consultations) table can still be checked.
ADDRESSED = {
    "placewise_addressed_consultation(consultation text)": f"""SELECT EXISTS (SELECT 1 FROM consulted_settings s
        WHERE s.consultation_id = consultation AND s.provider_id = ANY ({PROVIDERS}))""",
    "placewise_addressed_child(child_council text, child text)": f"""SELECT EXISTS (SELECT 1 FROM consulted_settings s
        JOIN consultations c ON c.id = s.consultation_id
        WHERE c.council = child_council AND c.child_id = child AND s.provider_id = ANY ({PROVIDERS}))""",
}
BY_SETTING = {
    "consulted_settings": f"provider_id = ANY ({PROVIDERS})",
    "consultations": f"{NAMES_SETTINGS} AND placewise_addressed_consultation(id)",
    "children": f"{NAMES_SETTINGS} AND placewise_addressed_child(council, child_id)",
    "offers": f"provider_id = ANY ({PROVIDERS})",
    "placement_agreements": f"provider_id = ANY ({PROVIDERS})",
}


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("provider_ids", sa.JSON))
    with op.batch_alter_table("vacancy_reports") as batch:
        batch.add_column(sa.Column("need_level", sa.Integer))
        batch.add_column(sa.Column("reason", sa.String(500)))
        batch.add_column(sa.Column("reporter", sa.String(10), nullable=False, server_default="council"))
    with op.batch_alter_table("consulted_settings") as batch:
        batch.add_column(sa.Column("setting_words", sa.String(1000)))
        batch.add_column(sa.Column("replied_via", sa.String(10)))
    op.create_table(
        "offers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("decision_id", sa.String(36), nullable=False, index=True),
        sa.Column("decision_version", sa.Integer, nullable=False),
        sa.Column("decision_hash", sa.String(64), nullable=False),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("provider_id", sa.Integer, nullable=False, index=True),
        sa.Column("provider_name", sa.String(200), nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("made_by", sa.String(100), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(100)),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("decline_reason", sa.String(40)),
        sa.Column("decline_words", sa.String(1000)),
        sa.Column("confirmed_by", sa.String(100)),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "placement_agreements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("offer_id", sa.String(36), sa.ForeignKey("offers.id"), nullable=False, unique=True),
        sa.Column("decision_id", sa.String(36), nullable=False, index=True),
        sa.Column("council", sa.String(9), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("provider_id", sa.Integer, nullable=False, index=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("agreement_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("signed_by", sa.String(100), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgres_walls()
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER placement_agreements_no_{verb.lower()} BEFORE {verb} ON placement_agreements "
                       f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END")


def _postgres_walls() -> None:
    op.execute(f"""CREATE OR REPLACE FUNCTION placement_agreements_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$""")
    op.execute("CREATE TRIGGER placement_agreements_append_only BEFORE UPDATE OR DELETE ON placement_agreements "
               "FOR EACH ROW EXECUTE FUNCTION placement_agreements_refuse()")
    op.execute("CREATE TRIGGER placement_agreements_no_truncate BEFORE TRUNCATE ON placement_agreements "
               "FOR EACH STATEMENT EXECUTE FUNCTION placement_agreements_refuse()")
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON placement_agreements FROM PUBLIC")
    for table in ("offers", "placement_agreements"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_by_council ON {table} USING {COUNCILS}")
    for function, body in ADDRESSED.items():
        op.execute(f"""CREATE OR REPLACE FUNCTION {function} RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
            SET search_path = public AS $$ {body} $$""")
    for table, condition in BY_SETTING.items():
        op.execute(f"CREATE POLICY {table}_by_setting ON {table} USING ({condition})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in BY_SETTING:
            op.execute(f"DROP POLICY IF EXISTS {table}_by_setting ON {table}")
        op.execute("DROP FUNCTION IF EXISTS placewise_addressed_consultation(text)")
        op.execute("DROP FUNCTION IF EXISTS placewise_addressed_child(text, text)")
        op.execute("DROP TRIGGER IF EXISTS placement_agreements_no_truncate ON placement_agreements")
        op.execute("DROP TRIGGER IF EXISTS placement_agreements_append_only ON placement_agreements")
        op.execute("DROP FUNCTION IF EXISTS placement_agreements_refuse()")
    op.drop_table("placement_agreements")
    op.drop_table("offers")
    with op.batch_alter_table("consulted_settings") as batch:
        batch.drop_column("replied_via")
        batch.drop_column("setting_words")
    with op.batch_alter_table("vacancy_reports") as batch:
        batch.drop_column("reporter")
        batch.drop_column("reason")
        batch.drop_column("need_level")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("provider_ids")
