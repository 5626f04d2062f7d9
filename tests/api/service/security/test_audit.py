"""An audit a data protection officer can rely on, and idempotent answers that do not outlive their caller's
right or their child: refusals, sign-ins, replays and scenario reads are recorded; imports name their children;
purposes are codes and case references of fixed shape; rows cannot be changed; and the export writes a period."""

import csv
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text, update
from typer.testing import CliRunner

from api.cli import app as cli
from api.platform.jobs import queue as jobs
from api.platform.security.keys import create_key, revoke_key
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent, IdempotencyKey
from tests.helpers.store import CHILD, A, B, assert_append_only, auth, refuse_audit_writes

SHORTLIST = {"child": CHILD, "k": 3, "purpose": "annual_review", "case_reference": "CASE-2025-17"}


def events(engine, **where) -> list[AuditEvent]:
    with sessions(engine)() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return list(session.scalars(query))


def test_a_replay_checks_the_credential_again_and_is_audited(api):
    client, keys, engine = api
    key = create_key(engine, "case system A", "caseworker", [A])
    headers = {**auth(key), "Idempotency-Key": "shortlist-1"}
    first = client.post("/v1/shortlists", json=SHORTLIST, headers=headers)
    again = client.post("/v1/shortlists", json=SHORTLIST, headers=headers)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    [replay] = events(engine, action="replay")
    assert replay.actor == "case system A" and replay.object_id == CHILD["child_id"] and replay.council == A
    with sessions(engine)() as session:
        revoked_id = session.scalar(select(func.max(text("id"))).select_from(text("api_keys")))
    revoke_key(engine, revoked_id)
    refused = client.post("/v1/shortlists", json=SHORTLIST, headers=headers)
    assert refused.status_code == 401 and "candidates" not in refused.text
    assert [event.detail for event in events(engine, action="refused")][-1] == "401"


def test_stored_answers_expire_and_go_with_their_child(api):
    client, keys, engine = api
    headers = {**auth(keys["a"]), "Idempotency-Key": "create-A-17"}
    assert client.post("/v1/children", json=CHILD, headers=headers).status_code == 201
    with sessions(engine)() as session:
        stored = session.scalar(select(IdempotencyKey))
    assert (stored.council, stored.child_id) == (A, CHILD["child_id"])
    assert client.delete(f"/v1/children/{CHILD['child_id']}", headers=auth(keys["a"])).status_code == 204
    with sessions(engine)() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
    shortlist_headers = {**auth(keys["a"]), "Idempotency-Key": "old"}
    client.post("/v1/shortlists", json=SHORTLIST, headers=shortlist_headers)
    with sessions(engine).begin() as session:  # a day and an hour ago: past the 24 hours it is kept
        session.execute(update(IdempotencyKey).values(at=datetime.now(UTC) - timedelta(hours=25)))
    client.post("/v1/shortlists", json={**SHORTLIST, "k": 2}, headers=shortlist_headers)
    assert not events(engine, action="replay")  # answered afresh, not replayed
    with sessions(engine)() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1  # the expired one removed


def test_refusals_sign_ins_and_scenario_reads_are_audited(api):
    client, keys, engine = api
    client.post("/v1/children", json=CHILD, headers=auth(keys["a"]))
    assert client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(keys["b"])).status_code == 404
    assert client.get("/v1/children", headers=auth("pw_forged")).status_code == 401
    assert client.get("/v1/children", headers=auth(keys["planner"])).status_code == 403
    refused = events(engine, action="refused")
    assert [(event.actor, event.detail.split()[0]) for event in refused] == [
        ("caseworker B", "404"), (refused[1].actor, "401"), ("planner", "403")]
    assert refused[0].object_id == CHILD["child_id"] and refused[1].actor.startswith("unknown credential ")
    assert "pw_forged" not in json.dumps([event.actor for event in refused])
    client.post("/v1/token", json={"username": "nobody", "password": "x" * 20})
    assert [(event.actor, event.detail) for event in events(engine, action="sign_in")] == [
        ("nobody", "wrong username or password")]
    commissioner = create_key(engine, "commissioner A", "commissioner", [A, B])
    first = jobs.submit(engine, {"name": "x", "data": "demo", "councils": [A, B]}, "commissioner A", [A, B])
    jobs.finish(engine, first, "succeeded", result={"kpis": {"children": 1}})
    client.get(f"/v1/scenarios/{first}", headers=auth(commissioner))
    client.get("/v1/scenarios", headers=auth(commissioner))
    client.get("/v1/scenarios/compare", params={"first": first, "second": first}, headers=auth(commissioner))
    by_action = {(event.action, event.council) for event in events(engine, object_type="scenario")}
    assert {("read", A), ("read", B), ("list", A), ("list", B), ("compare", A), ("compare", B)} <= by_action


def test_imports_record_each_child_and_council(api):
    client, keys, engine = api
    body = f"child_id,home_council,easting,northing,age,primary_need\nA-1,{A},420000,570000,9,ASD\n" \
           f"A-2,{A},421000,571000,12,SEMH\n"
    assert client.post("/v1/children/import", content=body,
                       headers={**auth(keys["a"]), "content-type": "text/csv"}).status_code == 201
    assert [(event.object_id, event.council) for event in events(engine, action="import")] == [("A-1", A), ("A-2", A)]


def test_the_purpose_is_a_code_and_the_case_reference_has_a_fixed_shape(api):
    client, keys, engine = api
    free_text = "SEMH+SLCN girl, lives E01008395, 12 Acacia Ave"
    for body in ({**SHORTLIST, "reason": free_text}, {**SHORTLIST, "purpose": free_text},
                 {**SHORTLIST, "case_reference": free_text}, {**SHORTLIST, "case_reference": "case 1"}):
        answer = client.post("/v1/shortlists", json=body, headers=auth(keys["a"]))
        assert answer.status_code == 422 and "Acacia" not in answer.text
    assert client.post("/v1/shortlists", json=SHORTLIST, headers=auth(keys["a"])).status_code == 200
    [event] = events(engine, action="shortlist")
    assert (event.purpose, event.case_reference, event.detail) == ("annual_review", "CASE-2025-17", None)
    assert "Acacia" not in json.dumps([[e.actor, e.detail, e.purpose, e.case_reference] for e in events(engine)])


def test_audit_rows_cannot_be_updated_or_deleted(api):
    client, keys, engine = api
    client.get("/v1/children", headers=auth(keys["a"]))
    assert_append_only(engine, "audit_events", "actor")
    assert len(events(engine)) >= 1


def test_audit_export_writes_a_period_for_a_council(api, tmp_path, monkeypatch):
    client, keys, engine = api
    client.post("/v1/children", json={**CHILD, "child_id": "-A1-B1"}, headers=auth(keys["a"]))
    client.post("/v1/children", json={**CHILD, "child_id": "B-1", "home_council": B}, headers=auth(keys["b"]))
    monkeypatch.setenv("PLACEWISE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    today = datetime.now(UTC).date()
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(cli, ["audit", "export", "--from", str(today), "--to", str(today + timedelta(1)),
                                      "--council", A, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert [(row["action"], row["object_id"], row["council"]) for row in rows] == [("create", "'-A1-B1", A)]
    wrong = CliRunner().invoke(cli, ["audit", "export", "--from", "yesterday", "--to", str(today), "--council", A,
                                     "--out", str(out)])
    assert wrong.exit_code == 2 and "--from" in wrong.output


def test_what_cannot_be_audited_is_neither_read_nor_stored(api):
    client, keys, engine = api
    assert client.post("/v1/children", json=CHILD, headers=auth(keys["a"])).status_code == 201
    refuse_audit_writes(engine)
    client = type(client)(client.app, raise_server_exceptions=False)
    read = client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(keys["a"]))
    listed = client.get("/v1/children", headers=auth(keys["a"]))
    added = client.post("/v1/children", json={**CHILD, "child_id": "A-18"}, headers=auth(keys["a"]))
    changed = client.put(f"/v1/children/{CHILD['child_id']}", json={**CHILD, "age": 10}, headers=auth(keys["a"]))
    for answer in (read, listed, added, changed):
        assert answer.status_code == 503 and "audit" in answer.json()["detail"], answer.text
        assert "ASD" not in answer.text and "A-17" not in answer.text
    with sessions(engine).begin() as session:
        if engine.dialect.name == "postgresql":
            session.execute(text("SELECT set_config('placewise.councils', '*', true)"))
        stored = session.execute(text("SELECT child_id, record FROM children")).all()
    assert [row.child_id for row in stored] == [CHILD["child_id"]]
    assert json.loads(stored[0].record)["age"] == CHILD["age"] if isinstance(stored[0].record, str) else \
        stored[0].record["age"] == CHILD["age"]
