"""PostgreSQL: row-level security on children, a second wall behind the routes' own council checks.

A transaction sees only the children of the councils in ``placewise.councils`` (comma-separated; ``*`` for an
admin), which the application sets for each request. Forced, so the table's owner is held to it too.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE children ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE children FORCE ROW LEVEL SECURITY")
    op.execute("""CREATE POLICY children_by_council ON children USING (
        current_setting('placewise.councils', true) = '*'
        OR council = ANY (string_to_array(coalesce(current_setting('placewise.councils', true), ''), ',')))""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP POLICY IF EXISTS children_by_council ON children")
    op.execute("ALTER TABLE children NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE children DISABLE ROW LEVEL SECURITY")
