"""Faults of the store: a cut PostgreSQL connection costs no request (connections are checked before use), a
store that does not answer is a 503 that says so (never a 500) until it is back, and a wrong or unreachable
database URL stops ``serve`` and ``worker`` with one clear line, without a traceback or the URL's password."""

import subprocess

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from api.app import create_app
from api.platform.security.keys import create_key
from api.settings import Settings
from tests.helpers.server import PLACEWISE
from tests.helpers.store import (
    CHILD,
    POSTGRES,
    A,
    auth,
    cut_connections,
    empty_postgres,
    postgres_ready,
    store_down,
)


@pytest.fixture
def postgres_api():
    if not postgres_ready():
        pytest.skip("PostgreSQL is not answering at 127.0.0.1:5432; .ci/run starts it in CI")
    app = create_app(Settings(database_url=empty_postgres()))
    key = create_key(app.state.engine, "caseworker A", "caseworker", [A])
    client = TestClient(app, raise_server_exceptions=False)
    assert client.post("/v1/children", json=CHILD, headers=auth(key)).status_code == 201
    yield client, key, make_url(POSTGRES).database
    cut_connections(make_url(POSTGRES).database, allow=True)
    app.state.engine.dispose()


def test_the_first_request_after_a_cut_connection_is_answered(postgres_api):
    client, key, database = postgres_api
    assert client.get("/v1/children", headers=auth(key)).status_code == 200
    assert cut_connections(database) >= 1
    answers = [client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(key)).status_code for _ in range(3)]
    assert answers == [200, 200, 200]


def test_a_store_that_does_not_answer_is_a_503_until_it_is_back(postgres_api):
    client, key, database = postgres_api
    with store_down(database):
        read = client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(key))
        added = client.post("/v1/children", json={**CHILD, "child_id": "A-18"}, headers=auth(key))
        keyed = client.post("/v1/children", json={**CHILD, "child_id": "A-19"},
                            headers={**auth(key), "Idempotency-Key": "during-the-outage"})
        ready = client.get("/v1/ready")
    for answer in (read, added, keyed, ready):
        assert answer.status_code == 503 and "ASD" not in answer.text, answer.text
    assert "Retry-After" in read.headers and "store" in read.json()["detail"]
    assert client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(key)).status_code == 200


@pytest.mark.parametrize("url", ["postgresql+psycopg://placewise:s3cret-pass@127.0.0.1:1/placewise",
                                 "postgres//not a url", "mysql+nothing://placewise:s3cret-pass@localhost/db"])
@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["worker", "--once"]])
def test_a_wrong_or_unreachable_database_url_is_one_clear_line(url, command, tmp_path):
    import os

    finished = subprocess.run([str(PLACEWISE), *command], env={**os.environ, "PLACEWISE_DATABASE_URL": url,
                                                               "PLACEWISE_CACHE": str(tmp_path)},
                              capture_output=True, text=True, timeout=120)
    said = (finished.stdout + finished.stderr).strip()
    assert finished.returncode == 2, said
    assert "Traceback" not in said and "s3cret-pass" not in said
    assert "database_url" in said
    assert len([line for line in said.splitlines() if line.strip()]) == 1, said
