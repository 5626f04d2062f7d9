"""Fixtures of the API tests: the app on both stores (SQLite in a temporary folder, PostgreSQL where it answers),
with keys for two councils."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.platform.security.keys import create_key
from api.settings import Settings
from tests.helpers.store import A, B, empty_postgres, postgres_ready


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request, tmp_path):
    if request.param == "postgresql":
        if not postgres_ready():
            pytest.skip("PostgreSQL is not answering at 127.0.0.1:5432; .ci/run starts it in CI")
        url = empty_postgres()
    else:
        url = f"sqlite:///{tmp_path / 'store.db'}"
    app = create_app(Settings(database_url=url))
    engine = app.state.engine
    keys = {"a": create_key(engine, "caseworker A", "caseworker", [A]),
            "b": create_key(engine, "caseworker B", "caseworker", [B]),
            "planner": create_key(engine, "planner", "planner", [])}
    yield TestClient(app), keys, engine
    engine.dispose()  # the app's pooled connections closed now: a shared PostgreSQL has only so many
