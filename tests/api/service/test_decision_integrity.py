"""Integrity measured from outside: a reply and its consideration sent at the same moment, 20 times on each store
(0 of 20 may leave a considered reply changed), and, on SQLite with the decisions table's triggers dropped, a
rewritten version, a changed council and a removed last version, each found by ``/verify`` and by
``placewise decisions verify --all`` through the hashes anchored in the audit."""

import threading
from datetime import date, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app as cli
from api.platform.security.keys import create_key
from scenarios.decision_record import record_hash
from tests.helpers.browser import Served
from tests.helpers.decisions import CHILD, PREFERRED, decided_case, person
from tests.helpers.store import A, auth

ROUNDS = 20


def _race(base: str, consultation: str, caseworker: dict, officer: dict) -> None:
    """Change the reply and consider it at the same moment (each on its own connection)."""
    start = threading.Barrier(2)

    def change() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            start.wait()
            client.put(f"/v1/consultations/{consultation}/replies/{PREFERRED}",
                       json={"reply": "cannot_meet", "reason": "no_places"}, headers=caseworker)

    def consider() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            start.wait()
            client.post(f"/v1/consultations/{consultation}/replies/{PREFERRED}/considered",
                        json={"note": "The reply says it can meet the needs; read against the plan."},
                        headers=officer)

    threads = [threading.Thread(target=change), threading.Thread(target=consider)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def test_a_considered_reply_never_changes_when_they_race(api):
    client, _, engine = api
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    officer = person(client, engine, "officer.a", "decision_maker", [A])
    assert client.post("/v1/children", json=CHILD, headers=caseworker).status_code == 201
    served = Served(client.app)
    changed = considered = 0
    try:
        for _ in range(ROUNDS):
            made = client.post("/v1/consultations", json={"child_id": "A-17", "provider_ids": [PREFERRED],
                                                          "sent_on": (date.today() - timedelta(days=2)).isoformat()},
                               headers=caseworker).json()["consultation_id"]
            client.put(f"/v1/consultations/{made}/replies/{PREFERRED}", json={"reply": "can_meet"},
                       headers=caseworker)
            _race(served.base, made, caseworker, officer)
            [row] = client.get(f"/v1/consultations/{made}", headers=caseworker).json()["settings"]
            if row["considered_by"] is not None:
                considered += 1
                now = row["reply"] + (f":{row['reason']}" if row["reason"] else "")
                changed += now != row["considered_reply"]
    finally:
        served.stop()
    print(f"\n{engine.dialect.name}: {changed} of {ROUNDS} races changed a considered reply "
          f"({considered} considered first, {ROUNDS - considered} changed first)")
    assert changed == 0


def _verify_all(url: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["decisions", "verify", "--all"], env={"PLACEWISE_DATABASE_URL": url})
    return result.exit_code, result.output


def test_a_rewrite_where_the_triggers_were_dropped_is_found(tmp_path):
    from api.app import create_app
    from api.settings import Settings

    url = f"sqlite:///{tmp_path / 'store.db'}"
    client = TestClient(create_app(Settings(database_url=url)))
    engine = client.app.state.engine
    decision = decided_case(client, engine, versions=2)
    caseworker = auth(create_key(engine, "reader A", "caseworker", [A]))
    assert _verify_all(url) == (0, "1 of 1 decisions verify; 0 do not\n")
    with engine.begin() as connection:  # whoever can write the file drops the triggers ...
        for trigger in ("decisions_no_update", "decisions_no_delete"):
            connection.execute(text(f"DROP TRIGGER {trigger}"))
        rows = connection.execute(text("SELECT version, content FROM decisions WHERE decision_id = :d ORDER BY "
                                       "version"), {"d": decision}).all()
        # ... and rewrites version 1 (another setting's reasons), re-hashing and re-chaining both versions
        first = rows[0].content.replace("costs far more", "costs a little more")
        second = rows[1].content.replace(record_hash(rows[0].content), record_hash(first))
        for version, content, previous in ((1, first, None), (2, second, record_hash(first))):
            connection.execute(text("UPDATE decisions SET content = :c, record_hash = :h, previous_hash = :p "
                                    "WHERE decision_id = :d AND version = :v"),
                               {"c": content, "h": record_hash(content), "p": previous, "d": decision, "v": version})
    check = client.get(f"/v1/decisions/{decision}/verify", headers=caseworker).json()
    assert check["valid"] is False and any("anchored in the audit" in problem for problem in check["problems"])
    code, output = _verify_all(url)
    assert code == 1 and "version 1: its hash is not the one anchored" in output
    with engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET council = 'E06900002' WHERE decision_id = :d AND version = 2"),
                           {"d": decision})
    code, output = _verify_all(url)
    assert code == 1 and "version 2: the stored council is not the one its content holds" in output
    with engine.begin() as connection:  # the last version removed
        connection.execute(text("DELETE FROM decisions WHERE decision_id = :d AND version = 2"), {"d": decision})
    code, output = _verify_all(url)
    assert code == 1 and "version 2: anchored in the audit but missing from the decisions table" in output
    with engine.begin() as connection:  # every version removed
        connection.execute(text("DELETE FROM decisions WHERE decision_id = :d"), {"d": decision})
    code, output = _verify_all(url)
    assert code == 1 and "all 2 anchored versions are missing" in output
