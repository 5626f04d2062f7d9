"""A disk that fills during an import loses nothing: the children and their audit rows are stored together or not at
all, the caller is told to try again (503, never a 500), no read goes unaudited while the disk is full, and once the
disk has room again the same running service imports and reads as before, on SQLite (its file on a small tmpfs) and
PostgreSQL (a database whose tablespace is a small tmpfs). Both need root to mount, and skip, saying so, without."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from api.platform.security.keys import create_key
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent
from api.service.routes import children as children_routes
from api.settings import Settings
from tests.helpers.disk import clear, fill, postgres_on_small_disk, small_disk
from tests.helpers.store import CHILD, A, auth, postgres_ready, snapshot

HEADER = "child_id,home_council,easting,northing,age,primary_need\n"
IMPORTED = 8_000


def cohort(prefix: str, count: int) -> str:
    return HEADER + "".join(f"{prefix}-{number},{A},420000,570000,9,ASD\n" for number in range(count))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_on_small_disk(request):
    if request.param == "postgresql":
        if not postgres_ready():
            pytest.skip("PostgreSQL is not answering at 127.0.0.1:5432; .ci/run starts it in CI")
        with postgres_on_small_disk(24) as (url, disk):
            yield url, disk
    else:
        with small_disk(16) as disk:
            yield f"sqlite:///{disk / 'store.db'}", disk


def audit_rows(engine, action: str | None = None) -> int:
    query = select(func.count()).select_from(AuditEvent)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    with sessions(engine)() as session:
        return int(session.scalar(query))


def test_a_disk_that_fills_during_an_import_stores_nothing_and_the_service_recovers(store_on_small_disk,
                                                                                     monkeypatch, tmp_path):
    url, disk = store_on_small_disk
    app = create_app(Settings(database_url=url, cache=tmp_path / "cache"))
    engine = app.state.engine
    key = create_key(engine, "caseworker A", "caseworker", [A])
    client = TestClient(app, raise_server_exceptions=False)
    assert client.post("/v1/children", json=CHILD, headers=auth(key)).status_code == 201
    before, audited_before = snapshot(engine), audit_rows(engine)
    real_audit = children_routes.audit_many

    def disk_fills_now(*arguments, **named):  # the disk fills as the import's audit rows are written
        fill(disk)
        return real_audit(*arguments, **named)

    monkeypatch.setattr(children_routes, "audit_many", disk_fills_now)
    # Another request reading as the import commits (as in service): SQLite's log cannot then be rewound and reused,
    # so every write needs new room on the disk.
    with engine.connect() as reader:
        if engine.dialect.name == "sqlite":
            reader.exec_driver_sql("BEGIN")  # a read transaction held open (pysqlite starts none for a SELECT)
        reader.exec_driver_sql("SELECT count(*) FROM api_keys").all()
        answer = client.post("/v1/children/import", content=cohort("C", IMPORTED),
                             headers={**auth(key), "content-type": "text/csv"})
        assert answer.status_code == 503, answer.text
        assert "nothing was read or stored" in answer.text and answer.headers["Retry-After"]
        assert snapshot(engine) == before and audit_rows(engine) == audited_before
        reads_before = audit_rows(engine, "read")
        read = client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(key))
        if read.status_code == 200:  # read only where its audit row was written
            assert audit_rows(engine, "read") == reads_before + 1
        else:
            assert read.status_code == 503 and "ASD" not in read.text
            assert audit_rows(engine, "read") == reads_before
    monkeypatch.setattr(children_routes, "audit_many", real_audit)
    clear(disk)
    read = client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(key))
    assert read.status_code == 200 and read.json()["primary_need"] == "ASD"
    again = client.post("/v1/children/import", content=cohort("C", IMPORTED),
                        headers={**auth(key), "content-type": "text/csv"})
    assert again.status_code == 201 and again.json() == {"imported": IMPORTED}
    assert audit_rows(engine, "import") == IMPORTED
