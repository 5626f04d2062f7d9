"""The audit writer, on both stores: the rows of requests that arrive together share one commit, each request answers
only once its own row has committed, a batch that cannot be written refuses every request in it (503, nothing
read), the event loop goes on serving while a refusal's row is written, and shutting down writes what is queued.

A gate on the writer's thread holds each of its transactions before it begins, so the tests decide when a batch is
written, and counts its commits."""

import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from api.platform.security import audit_writer
from api.platform.security.audit_writer import THREAD_NAME, AuditWriter
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent
from tests.helpers.store import CHILD, auth, refuse_audit_writes

WAIT_S = 60  # how long a test waits for what must happen before it fails (never a pause)
NOTE = {"actor": "test", "council": None, "action": "note", "object_type": "route", "object_id": None,
        "detail": None, "purpose": None, "case_reference": None}


class WriterGate:
    """Holds each transaction of an audit writer's thread before it begins, until ``release``; counts the
    transactions begun and committed, and keeps the thread."""

    def __init__(self, engine) -> None:
        self.engine, self.opened, self.waiting = engine, threading.Event(), threading.Event()
        self.begun = self.committed = 0
        self.thread: threading.Thread | None = None
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._commit)

    def _begin(self, _connection) -> None:
        if threading.current_thread().name == THREAD_NAME:
            self.begun, self.thread = self.begun + 1, threading.current_thread()
            self.waiting.set()
            self.opened.wait(WAIT_S)

    def _commit(self, _connection) -> None:
        if threading.current_thread().name == THREAD_NAME:
            self.committed += 1

    def release(self) -> None:
        self.opened.set()

    def remove(self) -> None:
        self.opened.set()
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "commit", self._commit)


@pytest.fixture
def gated(api):
    client, keys, engine = api
    assert client.post("/v1/children", json=CHILD, headers=auth(keys["a"])).status_code == 201
    gate = WriterGate(engine)
    yield client.app, keys, engine, gate
    gate.remove()


def audit_rows(engine, action: str) -> int:
    with sessions(engine)() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)))


def read_in_threads(client: TestClient, key: str, count: int, answers: list) -> list[threading.Thread]:
    threads = [threading.Thread(target=lambda: answers.append(client.get(f"/v1/children/{CHILD['child_id']}",
                                                                         headers=auth(key))))
               for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def held_then_queued(client: TestClient, app, gate: WriterGate, key: str, answers: list) -> list[threading.Thread]:
    """One read whose row's transaction the gate holds, then five more whose rows queue behind it."""
    threads = read_in_threads(client, key, 1, answers)
    assert gate.waiting.wait(WAIT_S)
    threads += read_in_threads(client, key, 5, answers)
    assert app.state.audit_writer.wait_until_queued(5, WAIT_S)
    return threads


def test_rows_of_requests_together_share_a_commit_and_each_answers_after_its_own(gated):
    app, keys, engine, gate = gated
    answers: list = []
    with TestClient(app) as client:
        threads = held_then_queued(client, app, gate, keys["a"], answers)
        assert answers == [] and audit_rows(engine, "read") == 0  # nobody answered before its row committed
        gate.release()
        for thread in threads:
            thread.join(WAIT_S)
    assert [answer.status_code for answer in answers] == [200] * 6
    assert audit_rows(engine, "read") == 6
    assert (gate.begun, gate.committed) == (2, 2)  # the held one's, then the five queued behind it in one


def test_a_batch_that_cannot_be_written_refuses_every_request_in_it(gated):
    app, keys, engine, gate = gated
    refuse_audit_writes(engine)
    answers: list = []
    with TestClient(app, raise_server_exceptions=False) as client:
        threads = held_then_queued(client, app, gate, keys["a"], answers)
        gate.release()
        for thread in threads:
            thread.join(WAIT_S)
    assert [answer.status_code for answer in answers] == [503] * 6
    assert all("audit" in answer.json()["detail"] and "ASD" not in answer.text for answer in answers)
    assert (gate.begun, gate.committed, audit_rows(engine, "read")) == (2, 0, 0)


def test_the_event_loop_serves_others_while_a_refusals_row_is_written(gated):
    app, keys, engine, gate = gated
    refused: list = []
    with TestClient(app) as client:
        threads = read_in_threads(client, keys["b"], 1, refused)  # another council's child: 404, audited
        assert gate.waiting.wait(WAIT_S)
        assert client.get("/v1/health").status_code == 200 and refused == []
        gate.release()
        threads[0].join(WAIT_S)
    assert [answer.status_code for answer in refused] == [404]
    assert audit_rows(engine, "refused") == 1


def test_closing_writes_what_is_queued_and_ends_the_thread(api):
    _client, _keys, engine = api
    gate, writer = WriterGate(engine), AuditWriter(engine)
    try:
        held = writer.append([NOTE])
        assert gate.waiting.wait(WAIT_S)
        queued = [writer.append([NOTE]) for _ in range(5)]
        closing = threading.Thread(target=writer.close)
        closing.start()  # closed with a transaction held and five requests' rows queued behind it
        gate.release()
        closing.join(WAIT_S)
    finally:
        gate.remove()
    assert not closing.is_alive() and all(future.done() for future in [held, *queued])
    assert audit_rows(engine, "note") == 6 and gate.committed == 2
    assert gate.thread is not None and not gate.thread.is_alive()


def test_the_apps_shutdown_closes_its_writer(gated, monkeypatch):
    app, keys, engine, gate = gated
    monkeypatch.setattr(audit_writer, "IDLE_S", 3600.0)  # so the thread ends with the app, not for want of rows
    gate.release()
    with TestClient(app) as client:
        assert client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(keys["a"])).status_code == 200
        assert gate.thread is not None and gate.thread.is_alive()
    assert not gate.thread.is_alive() and audit_rows(engine, "read") == 1


def test_a_request_that_stops_waiting_costs_the_others_nothing_and_its_row_is_kept(api):
    _client, _keys, engine = api
    gate, writer = WriterGate(engine), AuditWriter(engine)
    try:
        held = writer.append([NOTE])
        assert gate.waiting.wait(WAIT_S)
        gone, staying = writer.append([NOTE]), writer.append([NOTE])
        assert gone.cancel()  # as asyncio does when the client of an awaiting request goes away
        gate.release()
        staying.result(WAIT_S)
        held.result(WAIT_S)
    finally:
        gate.remove()
    assert audit_rows(engine, "note") == 3 and gate.committed == 2


def test_a_writer_without_rows_ends_its_thread_and_the_next_rows_start_another(api, monkeypatch):
    _client, _keys, engine = api
    monkeypatch.setattr(audit_writer, "IDLE_S", 0.01)
    gate = WriterGate(engine)
    gate.release()
    writer = AuditWriter(engine)
    threads = []
    try:
        for _ in range(2):
            writer.append([NOTE]).result(WAIT_S)
            threads.append(gate.thread)
            threads[-1].join(WAIT_S)
    finally:
        gate.remove()
    assert threads[0] is not threads[1] and not any(thread.is_alive() for thread in threads)
    assert audit_rows(engine, "note") == 2 and gate.committed == 2
