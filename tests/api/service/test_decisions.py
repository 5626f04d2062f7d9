"""One child through the whole path on both stores: profile, package list, consultations (replies recorded, one
overdue, each considered by a named officer), a decision by a named officer, a reconsideration; the hash chain
verifies, a past version cannot be changed at the database level, and the letter and the bundle render."""

import json
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.service.app import create_app
from api.service.security.keys import create_key
from api.service.security.people import add_user
from api.service.store.engine import sessions
from api.service.store.models import AuditEvent
from api.settings import Settings
from tests.helpers.store import A, assert_append_only, auth, service_role_url, snapshot

CHILD = {"child_id": "A-17", "home_council": A, "easting": 420_000.0, "northing": 570_000.0, "age": 9,
         "primary_need": "ASD", "secondary_needs": ["SLCN"], "need_level": 3, "packages": ["SP-CI"],
         "preferences": [900009]}
PASSWORD = "a-long-password-1"


def person(client, engine, username: str, role: str, councils: list[str]) -> dict:
    """A named person's bearer token (the embedded default's sign-in)."""
    add_user(engine, username, PASSWORD, role, councils)
    answer = client.post("/v1/token", json={"username": username, "password": PASSWORD})
    return auth(answer.json()["access_token"])


def consult_and_consider(client, officer: dict, caseworker: dict, providers: list[int], replies: dict) -> str:
    """Consult settings (sent 20 days ago, so past the 15-day deadline), record the given replies, check the rest
    are overdue, record them as no reply, and consider every reply; the consultation's id."""
    sent = (date.today() - timedelta(days=20)).isoformat()
    made = client.post("/v1/consultations", json={"child_id": CHILD["child_id"], "provider_ids": providers,
                                                  "sent_on": sent, "case_reference": "CASE-17"}, headers=caseworker)
    assert made.status_code == 201, made.text
    consultation = made.json()["consultation_id"]
    assert {row["deadline"] for row in made.json()["settings"]} == {(date.today() - timedelta(days=5)).isoformat()}
    for provider_id, body in replies.items():
        answer = client.put(f"/v1/consultations/{consultation}/replies/{provider_id}", json=body, headers=caseworker)
        assert answer.status_code == 200, answer.text
    overdue = client.get("/v1/consultations/overdue", headers=caseworker).json()
    silent = [provider for provider in providers if provider not in replies]
    assert [(row["consultation_id"], row["provider_id"], row["days_overdue"]) for row in overdue] == [
        (consultation, provider, 5) for provider in silent]
    for provider_id in silent:
        assert client.put(f"/v1/consultations/{consultation}/replies/{provider_id}", json={"reply": "no_reply"},
                          headers=caseworker).status_code == 200
    assert client.get("/v1/consultations/overdue", headers=caseworker).json() == []
    for provider_id in providers:
        by_key = client.post(f"/v1/consultations/{consultation}/replies/{provider_id}/considered",
                             json={"note": "The reply was read against the plan."}, headers=caseworker)
        assert by_key.status_code == 403  # a machine's key is no named officer
        considered = client.post(f"/v1/consultations/{consultation}/replies/{provider_id}/considered",
                                 json={"note": "Read the reply against the plan's packages and the offer."},
                                 headers=officer)
        assert considered.status_code == 200 and considered.json()["considered_by"] == "officer.a"
    return consultation


def test_one_child_from_profile_to_a_reconsidered_decision(api):
    client, _, engine = api
    if engine.dialect.name == "postgresql":  # as the service's own role, which row-level security holds
        client = TestClient(create_app(Settings(database_url=service_role_url())))
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    officer = person(client, engine, "officer.a", "decision_maker", [A])
    assert client.post("/v1/children", json=CHILD, headers=caseworker).status_code == 201
    listed = client.post("/v1/packages/lists", json={"child_id": "A-17", "purpose": "placement_search"},
                         headers=officer)
    assert listed.status_code == 200
    settings = [entry["provider_id"] for entry in listed.json()["settings"]]
    assert 900009 in settings and len(settings) >= 3 and listed.json()["shortlist"]["candidates"]
    alternative = next(wish["alternative_id"] for wish in listed.json()["preferences"])
    consulted = [900009, alternative, next(s for s in settings if s not in (900009, alternative))]
    replies = {900009: {"reply": "can_meet"}, alternative: {"reply": "cannot_meet", "reason": "no_places"}}
    consultation = consult_and_consider(client, officer, caseworker, consulted, replies)

    body = {"consultation_id": consultation, "named_provider_id": consulted[2]}
    key_decider = auth(create_key(engine, "decision system A", "decision_maker", [A]))
    assert client.post("/v1/decisions", json=body, headers=key_decider).status_code == 403  # no named person
    assert client.post("/v1/decisions", json=body, headers=caseworker).status_code == 403  # not the role to decide
    first = client.post("/v1/decisions", json=body, headers=officer)
    assert first.status_code == 201, first.text
    decision = first.json()["decision_id"]
    again = client.put(f"/v1/consultations/{consultation}/replies/{consulted[0]}", json={"reply": "can_meet"},
                       headers=caseworker)
    assert again.status_code == 409  # the consultation closed with the decision

    second = client.post(f"/v1/decisions/{decision}/reconsiderations",
                         json={"reason": "tribunal_remittal", "named_provider_id": 900009}, headers=officer)
    assert second.status_code == 201, second.text
    read = client.get(f"/v1/decisions/{decision}", headers=caseworker).json()
    v1, v2 = read["versions"]
    assert v2["previous_hash"] == v1["record_hash"] and v2["record"]["reconsideration"]["of_version"] == 1
    assert read["chain"] == {"valid": True, "versions": 2, "problems": [], "latest_hash": v2["record_hash"]}
    record = v1["record"]
    assert record["decided_by"] == "officer.a" and record["role"] == "decision_maker"
    assert {entry["provider_id"] for entry in record["offered"]} == set(settings)
    assert all(set(entry["scores"]) and entry["reasons"] for entry in record["offered"])
    [wish] = record["parents_preference"]
    assert wish["efficient_use"] is False and "efficient use of resources" in wish["why_not"][0]
    assert record["data_version"]["files"] and record["policy"]["preference_cost_limit_gbp"] == 5_000
    assert {(row["provider_id"], row["reply"]) for row in record["consultation"]["settings"]} == {
        (900009, "can_meet"), (alternative, "cannot_meet"), (consulted[2], "no_reply")}
    assert v2["record"]["named_setting"]["parents_preference"] is True

    letter = client.get(f"/v1/decisions/{decision}/letter", headers=caseworker)
    assert letter.status_code == 200 and "Our decision about a school or college place" in letter.text
    assert "we have named it" in letter.text and "after the tribunal sent the decision back" in letter.text
    bundle = client.get(f"/v1/decisions/{decision}/bundle", params={"format": "html"}, headers=caseworker)
    assert bundle.status_code == 200 and "verified" in bundle.text and v1["record_hash"] in bundle.text
    pdf = client.get(f"/v1/decisions/{decision}/bundle", headers=caseworker)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    assert_append_only(engine, "decisions", "decided_by")
    assert client.get(f"/v1/decisions/{decision}/verify", headers=caseworker).json()["valid"] is True

    with sessions(engine)() as session:
        actions = {(event.action, event.object_id) for event in session.scalars(select(AuditEvent))}
    assert {("package_list", "A-17"), ("consult", "A-17"), ("reply", "A-17"), ("consider", "A-17"),
            ("decide", "A-17"), ("reconsider", "A-17"), ("export", "A-17"), ("verify", "A-17")} <= actions


def test_bad_input_is_refused_and_leaves_nothing_written(api):
    client, _, engine = api
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    officer = person(client, engine, "officer.a", "decision_maker", [A])
    client.post("/v1/children", json=CHILD, headers=caseworker)
    before = snapshot(engine)
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.put(f"/v1/consultations/{missing}/replies/900009", json={"reply": "can_meet"},
                      headers=caseworker).status_code == 404
    assert client.post("/v1/decisions", json={"consultation_id": missing, "named_provider_id": 900009},
                       headers=officer).status_code == 404
    unknown = client.post("/v1/consultations", json={"child_id": "A-17", "provider_ids": [1]}, headers=caseworker)
    assert unknown.status_code == 422 and "provider_ids" in unknown.text
    no_reason = client.put(f"/v1/consultations/{missing}/replies/900009", json={"reply": "cannot_meet"},
                           headers=caseworker)
    assert no_reason.status_code == 422
    assert snapshot(engine) == before
    made = client.post("/v1/consultations", json={"child_id": "A-17", "provider_ids": [900009]}, headers=caseworker)
    consultation = made.json()["consultation_id"]
    early = client.put(f"/v1/consultations/{consultation}/replies/900009", json={"reply": "no_reply"},
                       headers=caseworker)
    assert early.status_code == 409  # the deadline has not passed
    client.put(f"/v1/consultations/{consultation}/replies/900009", json={"reply": "can_meet"}, headers=caseworker)
    postcode = client.post(f"/v1/consultations/{consultation}/replies/900009/considered",
                           json={"note": "Spoke about the child at NE1 4XF on 12/03/2016."}, headers=officer)
    assert postcode.status_code == 422 and "NE1" not in postcode.text
    undecided = client.post("/v1/decisions", json={"consultation_id": consultation, "named_provider_id": 900009},
                            headers=officer)
    assert undecided.status_code == 409 and "considered" in undecided.text  # a reply not yet considered
    assert client.post(f"/v1/consultations/{consultation}/close", headers=caseworker).status_code == 200
    closed = client.put(f"/v1/consultations/{consultation}/replies/900009", json={"reply": "can_meet"},
                        headers=caseworker)
    assert closed.status_code == 409 and "closed" in closed.text
    with sessions(engine)() as session:
        assert json.dumps([e.detail for e in session.scalars(select(AuditEvent))]).count("NE1") == 0


def test_every_new_route_admits_its_roles_only_and_audits_refusals(api):
    """A planner (no child records) is refused on every route of packages lists, consultations and decisions, each
    refusal audited; a caseworker may consult but never decide."""
    client, _, engine = api
    from api.service.errors import api_routes

    planner = auth(create_key(engine, "planner A", "planner", [A]))
    nothing = "00000000-0000-0000-0000-000000000000"
    walked = 0
    for route in api_routes(client.app):
        if not route.path.startswith(("/v1/consultations", "/v1/decisions", "/v1/packages/")):
            continue
        path = route.path.format(consultation_id=nothing, decision_id=nothing, provider_id=900009)
        for method in route.methods:
            answer = client.request(method, path, json={} if method in ("POST", "PUT") else None, headers=planner)
            assert answer.status_code == 403, (method, route.path)
            walked += 1
    assert walked >= 14
    with sessions(engine)() as session:
        refused = [event for event in session.scalars(select(AuditEvent).where(AuditEvent.action == "refused"))]
    assert len(refused) == walked and all(event.actor == "planner A" for event in refused)
