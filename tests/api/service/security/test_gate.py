"""The request's gate: one visit to the store before the route counts the request and reads the API key's row and
the vacancy reports' version; what it read holds for that request only, so a key revoked, or a report stored, through
another server process counts at the next request; the gate's own connections are closed when the app shuts down."""

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text
from sqlalchemy.pool import Pool

from api.app import create_app
from api.platform.security.keys import create_key, list_keys, revoke_key
from api.platform.store.models import RequestCount
from api.settings import Settings
from tests.helpers.store import CHILD, A, auth

SEARCH = {"child": CHILD, "k": 10, "purpose": "placement_search"}


def second_process(engine) -> TestClient:  # type: ignore[no-untyped-def]
    """Another server process's app on the same store."""
    return TestClient(create_app(Settings(database_url=engine.url.render_as_string(hide_password=False))))


def test_a_key_revoked_through_another_process_is_refused_at_its_next_request(api):
    client, _, engine = api
    key = create_key(engine, "case system A", "caseworker", [A])
    other = second_process(engine)
    assert other.post("/v1/shortlists", json=SEARCH, headers=auth(key)).status_code == 200
    revoke_key(engine, next(row.id for row in list_keys(engine) if row.name == "case system A"))
    assert other.post("/v1/shortlists", json=SEARCH, headers=auth(key)).status_code == 401
    assert client.post("/v1/shortlists", json=SEARCH, headers=auth(key)).status_code == 401


def test_a_vacancy_report_stored_through_one_process_reaches_the_next_shortlist_of_another(api):
    client, keys, engine = api
    commissioner = create_key(engine, "commissioner A", "commissioner", [A])
    other = second_process(engine)
    before = other.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).json()
    assert 900002 in {row["provider_id"] for row in before["candidates"]}
    stored = client.put("/v1/providers/900002/vacancies", json={"vacancies": 0}, headers=auth(commissioner))
    assert stored.status_code == 200
    after = other.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).json()
    assert 900002 not in {row["provider_id"] for row in after["candidates"]}


def test_before_its_route_a_request_with_a_key_visits_the_store_once(api):
    """The rate count, the key's row and the reports' version share the gate's one connection: the route's own
    checks take no other (the store's one is the audit writer's, to commit the request's row)."""
    client, keys, engine = api
    client.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"]))  # the register laid out, the writer started
    every: list[object] = []
    store: list[object] = []

    def any_pool(*_):  # type: ignore[no-untyped-def]
        every.append(1)

    def the_store(*_):  # type: ignore[no-untyped-def]
        store.append(1)

    event.listen(Pool, "checkout", any_pool)
    event.listen(engine, "checkout", the_store)
    try:
        assert client.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).status_code == 200
    finally:
        event.remove(Pool, "checkout", any_pool)
        event.remove(engine, "checkout", the_store)
    assert len(every) == 2 and len(store) == 1


def test_a_gate_connection_cut_while_idle_is_replaced_and_the_request_still_counted(api, caplog):
    """The gate's connections are not pinged before use: one cut while idle (a restart, a failover) is dropped and the
    visit made again on a new one, so the request is still counted and its key still read."""
    client, keys, engine = api
    if engine.dialect.name != "postgresql":
        pytest.skip("cutting a connection from the server's side is PostgreSQL's")
    assert client.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).status_code == 200
    with engine.connect() as connection:  # every other connection to the database: the gate's pool among them
        cut = connection.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    assert cut >= 1
    before = _requests_counted(engine)
    with caplog.at_level(logging.WARNING):
        assert client.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).status_code == 200
    assert _requests_counted(engine) == before + 1
    assert "could not be counted" not in caplog.text


def test_the_apps_shutdown_closes_the_gates_connections(api):
    client, keys, _engine = api
    counting = client.app.state.request_counter.engine
    with TestClient(client.app) as running:
        assert running.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).status_code == 200
        assert counting.pool.checkedin() >= 1  # the gate's connection, back in its pool between requests
    assert counting.pool.checkedin() == 0


def _requests_counted(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return int(connection.execute(select(func.coalesce(func.sum(RequestCount.count), 0))).scalar())
