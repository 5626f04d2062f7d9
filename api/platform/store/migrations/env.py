"""Alembic environment: migrations run on the engine the application passes in (``migrate`` in the store)."""

from alembic import context

from api.platform.store import decision_models  # noqa: F401 - its tables belong to the metadata too
from api.platform.store.models import Base

config = context.config
engine = config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
