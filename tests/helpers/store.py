"""Helpers of the API tests: the stores (SQLite in a temporary folder, PostgreSQL where it answers), two councils and
a child, and a checksum of the tables that hold what callers write."""

import contextlib
import json
import os

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from api.platform.store.decision_models import Decision, Offer, PlacementAgreement
from api.platform.store.engine import alembic_config
from api.platform.store.engine import sessions as make_sessions
from api.platform.store.models import ApiKey, ChildRecord, Consultation, ConsultedSetting, Job, User, VacancyReport
from api.platform.store.saved_scenarios import SavedScenario

#: The PostgreSQL the API tests use; another database may be named for a second suite running beside this one.
POSTGRES = os.environ.get("PLACEWISE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
A, B = "E06900001", "E06900002"
CHILD = {"child_id": "A-17", "home_council": A, "easting": 420_000.0, "northing": 570_000.0, "age": 9,
         "primary_need": "ASD", "secondary_needs": ["SLCN"]}


def postgres_ready() -> bool:
    try:
        with create_engine(POSTGRES).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001
        return False


def empty_postgres(url: str = POSTGRES) -> str:
    """Migrate the test database down to nothing (which exercises every downgrade); where it holds a revision
    this checkout does not know (left by another branch's run), drop its schema instead. The URL, for chaining."""
    from alembic import command
    from alembic.util.exc import CommandError

    engine = create_engine(url)
    try:
        command.downgrade(alembic_config(engine), "base")
    except CommandError:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
            connection.execute(text("GRANT USAGE, CREATE ON SCHEMA public TO PUBLIC"))
    finally:
        engine.dispose()
    return url


def auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def as_councils(session, councils: str) -> None:
    """On PostgreSQL, row-level security shows a transaction only the councils it names (``*``: all)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT set_config('placewise.councils', :c, true)"), {"c": councils})


def snapshot(engine) -> str:
    """Every row callers can write (children, jobs, vacancy reports, keys, people, consultations and their
    replies, decisions, offers, placement agreements and saved scenarios), as one comparable text."""
    with make_sessions(engine).begin() as session:
        as_councils(session, "*")
        children = [[row.council, row.child_id, row.record] for row in
                    session.scalars(select(ChildRecord).order_by(ChildRecord.id))]
        jobs = [[row.id, row.status, row.cancel_requested, row.councils] for row in
                session.scalars(select(Job).order_by(Job.id))]
        vacancies = [[row.provider_id, row.need, row.need_level, row.vacancies, row.reporter] for row in
                     session.scalars(select(VacancyReport).order_by(VacancyReport.id))]
        keys = [[row.name, row.role, row.revoked] for row in session.scalars(select(ApiKey).order_by(ApiKey.id))]
        people = [[row.username, row.role, row.provider_ids] for row in session.scalars(select(User).order_by(User.id))]
        consultations = [[row.id, row.status] for row in session.scalars(select(Consultation).order_by(
            Consultation.id))]
        replies = [[row.id, row.reply, row.reason, row.considered_by, row.note, row.setting_words]
                   for row in session.scalars(select(ConsultedSetting).order_by(ConsultedSetting.id))]
        decisions = [[row.decision_id, row.version, row.record_hash] for row in session.scalars(
            select(Decision).order_by(Decision.id))]
        offers = [[row.id, row.status, row.answered_by, row.confirmed_by] for row in session.scalars(
            select(Offer).order_by(Offer.id))]
        agreements = [[row.offer_id, row.agreement_hash] for row in session.scalars(
            select(PlacementAgreement).order_by(PlacementAgreement.id))]
        saved = [[row.id, row.body, row.name, row.document] for row in session.scalars(
            select(SavedScenario).order_by(SavedScenario.id))]
        return json.dumps([children, jobs, vacancies, keys, people, consultations, replies, decisions, offers,
                           agreements, saved], sort_keys=True)


SERVICE_ROLE = "placewise_app"


def service_role_url() -> str:
    """The PostgreSQL test store as the service's own role: LOGIN, no superuser, no BYPASSRLS, granted what the
    service needs (the audit only SELECT and INSERT). Roles are cluster-wide, so this is idempotent."""
    with create_engine(POSTGRES).begin() as connection:
        connection.execute(text(f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SERVICE_ROLE}') THEN
                CREATE ROLE {SERVICE_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
            END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"""))
        connection.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "
                                f"{SERVICE_ROLE}"))
        connection.execute(text(f"REVOKE UPDATE, DELETE ON audit_events, decisions FROM {SERVICE_ROLE}"))
        connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {SERVICE_ROLE}"))
    return POSTGRES.replace("postgres@", f"{SERVICE_ROLE}@", 1)


def assert_append_only(engine, table: str, column: str) -> None:
    """Every UPDATE and DELETE of the table's rows is refused by the store (and TRUNCATE, on PostgreSQL)."""
    from sqlalchemy.exc import DatabaseError

    statements = [f"UPDATE {table} SET {column} = 'someone else'", f"DELETE FROM {table}"]
    if engine.dialect.name == "postgresql":
        statements.append(f"TRUNCATE {table}")
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text(statement))


def refuse_audit_writes(engine) -> None:
    """A store that refuses every new audit row (as a full disk or a revoked grant would)."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("CREATE OR REPLACE FUNCTION test_no_audit() RETURNS trigger LANGUAGE plpgsql AS "
                                    "$$ BEGIN RAISE EXCEPTION 'the audit cannot be written'; END $$"))
            connection.execute(text("CREATE TRIGGER test_no_audit BEFORE INSERT ON audit_events FOR EACH ROW "
                                    "EXECUTE FUNCTION test_no_audit()"))
        else:
            connection.execute(text("CREATE TRIGGER test_no_audit BEFORE INSERT ON audit_events BEGIN "
                                    "SELECT RAISE(ABORT, 'the audit cannot be written'); END"))


def cut_connections(database: str, allow: bool | None = None) -> int:
    """End every connection to the database but this one (as a restart or a network cut would); with ``allow``,
    also refuse (False) or again accept (True) new ones. The connections ended."""
    admin = create_engine(make_url(POSTGRES).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if allow is not None:
            connection.execute(text(f"ALTER DATABASE {database} WITH ALLOW_CONNECTIONS {str(allow).lower()}"))
        ended = connection.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                        "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database})
        count = int(ended.scalar() or 0)
    admin.dispose()
    return count


@contextlib.contextmanager
def store_down(database: str):
    cut_connections(database, allow=False)
    try:
        yield
    finally:
        cut_connections(database, allow=True)
