"""The store's engine: SQLite by default, PostgreSQL by URL; migrated to the latest on start; sessions.

SQLite runs in WAL mode with ``synchronous=FULL`` so a crash never loses a committed write. On PostgreSQL the
children table has row-level security (migration 0004); it holds only where the service connects as a role that
is neither a superuser nor BYPASSRLS, so run migrations as the owner and the service as such a role. The schema is
created and changed only by the Alembic migrations in ``migrations/`` beside this module (``upgrade`` on start).
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for the URL (the ``database_url`` setting), migrated to the latest revision."""
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def bypasses_row_security(engine: Engine) -> bool:
    """On PostgreSQL, whether the role the engine connects as is a superuser or has BYPASSRLS, so that row-level
    security does not hold for it (always False on SQLite, which has none)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as connection:
        return bool(connection.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                            "WHERE rolname = current_user")).scalar())


def sessions(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False, future=True)
