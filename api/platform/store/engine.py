"""The store's engine: SQLite by default, PostgreSQL by URL; migrated to the latest on start; sessions.

SQLite runs in WAL mode with ``synchronous=FULL`` so a crash never loses a committed write. On PostgreSQL the
children table has row-level security (migration 0004); it holds only where the service connects as a role that
is neither a superuser nor BYPASSRLS, so run migrations as the owner and the service as such a role. The schema is
created and changed only by the Alembic migrations in ``migrations/`` beside this module (``upgrade`` on start).

Connections are checked before use (``pool_pre_ping``), so one cut while idle (a restart, a failover, a network
cut) is replaced before a request meets it. A URL that is not one, names a driver that is not installed, or a store
that cannot be reached or opened when the engine is made, is one ``PlacewiseError`` naming ``database_url`` (the
URL shown without its password), so ``serve`` and ``worker`` stop with one clear line.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import sessionmaker

from core.errors import PlacewiseError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT_S = 10


def make_engine(url: str) -> Engine:
    """An engine for the URL (the ``database_url`` setting), migrated to the latest revision; a clear error where
    the URL is wrong or the store cannot be reached."""
    try:
        postgresql = make_url(url).get_backend_name() == "postgresql"
        engine = create_engine(url, future=True, pool_pre_ping=True,  # a store that does not answer in 10 s is down
                               connect_args={"connect_timeout": CONNECT_TIMEOUT_S} if postgresql else {})
    except (ArgumentError, ImportError, ValueError):  # not a URL; a dialect or driver that is not installed
        raise PlacewiseError("database_url: not a store this service can use; give sqlite:///path/to/placewise.db "
                             "or postgresql+psycopg://user@host:5432/database", field="database_url") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except (DBAPIError, OSError) as error:
        engine.dispose()
        shown = engine.url.render_as_string(hide_password=True)
        reason = type(getattr(error, "orig", None) or error).__name__
        raise PlacewiseError(f"database_url: the store at {shown} could not be reached or opened ({reason}); check "
                             "the URL, and that the database is running and takes connections from here",
                             field="database_url") from None
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
