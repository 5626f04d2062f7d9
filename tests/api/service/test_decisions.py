"""One child through the whole path on both stores, as issue 23 walked it: package list, consultation (one setting
silent, one that cannot deliver the package, one that cannot meet the needs, the parents' two preferences), each
reply considered by a named officer; the blocking 422s (naming a silent setting, one that cannot deliver, one that
cannot meet the needs; a preference passed over without a test; no reasons; a test not in the law), a warning that
needs an override, then a lawful decision with reasons; mediation, and a reconsideration resting on it; the hash
chain verifies with its audit anchors, letters are kept as sent, and the bundle renders."""

import json
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.platform.security.keys import create_key
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent
from api.settings import Settings
from tests.helpers.decisions import (
    CANNOT_DELIVER,
    CANNOT_MEET,
    CHILD,
    LAWFUL_TESTS,
    OTHER_PREFERENCE,
    PREFERRED,
    REASONS,
    SILENT,
    person,
)
from tests.helpers.store import A, assert_append_only, auth, service_role_url, snapshot


def consult_and_consider(client, officer: dict, caseworker: dict, providers: list[int], replies: dict) -> str:
    """Consult settings (sent 20 days ago, so past the 15-day deadline), record the given replies, check the rest
    are overdue with a reminder date, record them as no reply, and consider every reply; the consultation's id."""
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
    reminder = (date.today() - timedelta(days=4)).isoformat()
    assert [(row["consultation_id"], row["provider_id"], row["days_overdue"], row["reminder_on"])
            for row in overdue] == [(consultation, provider, 5, reminder) for provider in silent]
    for provider_id in silent:
        assert client.put(f"/v1/consultations/{consultation}/replies/{provider_id}", json={"reply": "no_reply"},
                          headers=caseworker).status_code == 200
    letter = client.get(f"/v1/consultations/{consultation}/letters/{providers[0]}", headers=caseworker)
    assert letter.status_code == 200 and "section 39 of the Children and Families Act 2014" in letter.text
    for provider_id in providers:
        by_key = client.post(f"/v1/consultations/{consultation}/replies/{provider_id}/considered",
                             json={"note": "The reply was read against the plan."}, headers=caseworker)
        assert by_key.status_code == 403  # a machine's key is no named officer
        considered = client.post(f"/v1/consultations/{consultation}/replies/{provider_id}/considered",
                                 json={"note": "Read the reply against the plan's packages and the offer."},
                                 headers=officer)
        assert considered.status_code == 200 and considered.json()["considered_by"] == "officer.a"
    return consultation


def refused(answer, field: str) -> None:
    assert answer.status_code == 422, answer.text
    assert field in {problem["field"] for problem in answer.json()["detail"]}, answer.text


def test_the_issues_case_is_blocked_then_decided_lawfully_and_reconsidered(api):
    client, _, engine = api
    if engine.dialect.name == "postgresql":  # as the service's own role, which row-level security holds
        client = TestClient(create_app(Settings(database_url=service_role_url())))
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    officer = person(client, engine, "officer.a", "decision_maker", [A])
    assert client.post("/v1/children", json=CHILD, headers=caseworker).status_code == 201
    listed = client.post("/v1/packages/lists", json={"child_id": "A-17", "purpose": "placement_search"},
                         headers=officer).json()
    assert {PREFERRED, OTHER_PREFERENCE} <= {entry["provider_id"] for entry in listed["settings"]}
    assert CANNOT_DELIVER in {row["provider_id"] for row in listed["not_listed"]}
    replies = {PREFERRED: {"reply": "can_meet"}, OTHER_PREFERENCE: {"reply": "can_meet"},
               CANNOT_DELIVER: {"reply": "can_meet"}, CANNOT_MEET: {"reply": "cannot_meet", "reason": "no_places"}}
    consultation = consult_and_consider(client, officer, caseworker,
                                        [PREFERRED, OTHER_PREFERENCE, SILENT, CANNOT_DELIVER, CANNOT_MEET], replies)
    tests = LAWFUL_TESTS
    body = {"consultation_id": consultation, "reasons": REASONS, "preferences": tests}
    before = snapshot(engine)
    for blocked in (SILENT, CANNOT_DELIVER, CANNOT_MEET):
        refused(client.post("/v1/decisions", json={**body, "named_provider_id": blocked,
                                                   "preferences": [{**tests[0], "test": "unsuitable"}, {
                                                       **tests[1], "test": "unsuitable"}]}, headers=officer),
                "named_provider_id")
    named = {**body, "named_provider_id": OTHER_PREFERENCE}
    refused(client.post("/v1/decisions", json={**named, "preferences": tests[1:]}, headers=officer), "preferences")
    refused(client.post("/v1/decisions", json={key: value for key, value in named.items() if key != "reasons"},
                        headers=officer), "reasons")
    refused(client.post("/v1/decisions", json={**named, "preferences": [{**tests[0], "test": "cheapest"}, tests[1]]},
                        headers=officer), "preferences.0.test")
    unsuitable = [{**tests[0], "test": "unsuitable", "reasons": "The class sizes are too large for the plan."},
                  tests[1]]
    warned = client.post("/v1/decisions", json={**named, "preferences": unsuitable}, headers=officer)
    refused(warned, "override_reasons")
    assert "replied that it can meet the needs, and you found it unsuitable" in warned.text
    assert snapshot(engine) == before  # nothing stored by any refusal

    first = client.post("/v1/decisions", json={**named, "case_reference": "CASE-17"}, headers=officer)
    assert first.status_code == 201, first.text
    assert first.json()["warnings"] == [] and first.json()["chain"]["valid"] is True
    decision = first.json()["decision_id"]
    record = client.get(f"/v1/decisions/{decision}", headers=caseworker).json()["versions"][0]["record"]
    assert record["reasons"] == REASONS and record["officers"]["officer.a"]["full_name"] == "Jane Okafor"
    costs = record["statutory_tests"][0]["costs"]
    assert costs["source"] == "package list" and costs["difference_gbp"] == (
        costs["requested_annual_cost_gbp"] - costs["named_annual_cost_gbp"]) > 5_000
    assert record["council_contacts"]["name"] == "Northvale Council"
    assert "/work" not in json.dumps(record["data_version"])  # never a server's folder
    again = client.put(f"/v1/consultations/{consultation}/replies/{PREFERRED}", json={"reply": "cannot_meet",
                                                                                      "reason": "other"},
                       headers=caseworker)
    assert again.status_code == 409  # the consultation closed with the decision

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    refused(client.post(f"/v1/decisions/{decision}/mediation", json={
        "held_on": yesterday, "mediator": "Northvale Mediation Service", "certificate_on": date.today().isoformat(),
        "outcome": "agreed"}, headers=officer), "held_on")
    mediation = client.post(f"/v1/decisions/{decision}/mediation", json={
        "held_on": date.today().isoformat(), "mediator": "Northvale Mediation Service",
        "certificate_on": date.today().isoformat(), "outcome": "agreed"}, headers=officer)
    assert mediation.status_code == 201, mediation.text
    again_tests = [{"provider_id": PREFERRED, "test": "named", "reasons": "Agreed at mediation: its smaller classes."},
                   {"provider_id": OTHER_PREFERENCE, "test": "unsuitable",
                    "reasons": "At mediation the parents showed its classes are too large for the plan."}]
    reconsider = {"reason": "mediation", "named_provider_id": PREFERRED, "reasons": "Mediation showed the smaller "
                  "classes are needed; the independent school can meet the needs.", "preferences": again_tests}
    refused(client.post(f"/v1/decisions/{decision}/reconsiderations", json=reconsider, headers=officer),
            "mediation_id")
    second = client.post(f"/v1/decisions/{decision}/reconsiderations",
                         json={**reconsider, "mediation_id": mediation.json()["id"],
                               "override_reasons": "The setting's own reply did not know the class sizes the plan "
                                                   "now sets out."}, headers=officer)
    assert second.status_code == 201, second.text
    assert [warning["code"] for warning in second.json()["warnings"]] == ["unsuitable_but_can_meet"]

    read = client.get(f"/v1/decisions/{decision}", headers=caseworker).json()
    v1, v2 = read["versions"]
    assert v2["previous_hash"] == v1["record_hash"] and v2["record"]["reconsideration"]["of_version"] == 1
    assert v2["record"]["reconsideration"]["mediation"]["outcome"] == "agreed"
    assert read["chain"] == {"valid": True, "versions": 2, "anchored": 2, "problems": [],
                             "latest_hash": v2["record_hash"]}
    first_letter = client.get(f"/v1/decisions/{decision}/letter", params={"version": 1}, headers=caseworker)
    assert "Northvale special academy 2" in first_letter.text and "Jane Okafor" in first_letter.text
    assert client.get(f"/v1/decisions/{decision}/letter", params={"version": 1}, headers=caseworker).text == (
        first_letter.text)  # kept exactly as sent
    latest = client.get(f"/v1/decisions/{decision}/letter", headers=caseworker).text
    assert "after mediation" in latest and "Northvale SENDIASS" in latest and "within 2 months" in latest
    bundle = client.get(f"/v1/decisions/{decision}/bundle", params={"format": "html"}, headers=caseworker)
    assert bundle.status_code == 200 and "target-counter" in bundle.text and v1["record_hash"] in bundle.text
    assert bundle.text.count('<div class="box">') == 2  # both letters, in order
    pdf = client.get(f"/v1/decisions/{decision}/bundle", headers=caseworker)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    assert_append_only(engine, "decisions", "decided_by")
    assert_append_only(engine, "decision_letters", "html")
    with sessions(engine)() as session:
        actions = {(event.action, event.object_id) for event in session.scalars(select(AuditEvent))}
    assert {("package_list", "A-17"), ("consult", "A-17"), ("reply", "A-17"), ("consider", "A-17"),
            ("decide", "A-17"), ("reconsider", "A-17"), ("export", "A-17"), ("mediation", "A-17"),
            ("anchor", decision)} <= actions


def test_bad_input_names_the_field_never_echoes_and_stores_nothing(api, tmp_path):
    client, _, engine = api
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    officer = person(client, engine, "officer.a", "decision_maker", [A])
    admin = person(client, engine, "admin.a", "admin", [], officer=False)
    client.post("/v1/children", json=CHILD, headers=caseworker)
    before = snapshot(engine)
    refused(client.put("/v1/officers/officer.b", json={"full_name": " ", "job_title": "SEND officer",
                                                       "authority": "Scheme of delegation 4.2"}, headers=admin),
            "full_name")
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.put(f"/v1/consultations/{missing}/replies/900009", json={"reply": "can_meet"},
                      headers=caseworker).status_code == 404
    unknown = client.post("/v1/consultations", json={"child_id": "A-17", "provider_ids": [1]}, headers=caseworker)
    refused(unknown, "provider_ids")
    assert snapshot(engine) == before
    made = client.post("/v1/consultations", json={"child_id": "A-17", "provider_ids": [PREFERRED]},
                       headers=caseworker)
    consultation = made.json()["consultation_id"]
    assert client.put(f"/v1/consultations/{consultation}/replies/{PREFERRED}", json={"reply": "no_reply"},
                      headers=caseworker).status_code == 409  # the deadline has not passed
    client.put(f"/v1/consultations/{consultation}/replies/{PREFERRED}", json={"reply": "can_meet"}, headers=caseworker)
    for note in ("Spoke to mum on 07700 900123 about it.", "Born on the fifth of March 2016, in year 5.",
                 "Mrs Patel agreed with the reply.", "NHS number 943 476 5919 noted."):
        answer = client.post(f"/v1/consultations/{consultation}/replies/{PREFERRED}/considered", json={"note": note},
                             headers=officer)
        refused(answer, "note")
        assert not any(part in answer.text for part in ("07700", "2016", "Patel", "5919"))
    with sessions(engine)() as session:
        details = json.dumps([event.detail for event in session.scalars(select(AuditEvent))])
    assert "07700" not in details and "Patel" not in details
    no_contacts = tmp_path / "contacts.yaml"
    no_contacts.write_text("E06900002:\n  name: Eastmoor Council\n  address: [Town Hall]\n"
                           "  send_team: {name: SEND team, phone: 0114 496 0100}\n"
                           "  sendiass: {name: SENDIASS, phone: 0114 496 0200}\n"
                           "  mediation_adviser: {name: Mediation, phone: 0114 496 0300}\n", encoding="utf-8")
    if engine.dialect.name == "sqlite":
        bare = TestClient(create_app(Settings(database_url=str(engine.url), council_contacts=no_contacts)))
        considered = bare.post(f"/v1/consultations/{consultation}/replies/{PREFERRED}/considered",
                               json={"note": "Read the reply against the plan."}, headers=officer)
        assert considered.status_code == 200, considered.text
        kept = snapshot(engine)
        refused(bare.post("/v1/decisions", json={
            "consultation_id": consultation, "named_provider_id": PREFERRED, "reasons": REASONS,
            "preferences": [{"provider_id": PREFERRED, "test": "named", "reasons": "It can meet the needs."},
                            {"provider_id": OTHER_PREFERENCE, "test": "incompatible_efficient_education",
                             "reasons": "Not consulted; the parents withdrew it."}],
            "override_reasons": "The parents withdrew the academy in writing."}, headers=officer),
            "council_contacts")
        assert snapshot(engine) == kept


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
    assert walked >= 17
    with sessions(engine)() as session:
        refused_rows = [event for event in session.scalars(select(AuditEvent).where(AuditEvent.action == "refused"))]
    assert len(refused_rows) == walked and all(event.actor == "planner A" for event in refused_rows)


def test_a_tribunal_order_stands_in_place_of_the_reply_and_must_be_followed(api):
    client, _, engine = api
    from tests.helpers.decisions import decided_case

    decision = decided_case(client, engine, versions=1)
    officer = auth(client.post("/v1/token", json={"username": "officer.a", "password": "a-long-password-1"})
                   .json()["access_token"])
    order = {"ordered_on": date.today().isoformat(), "outcome": "setting_ordered", "ordered_provider_id": SILENT,
             "appeal_reference": "EH123/26/00017"}
    refused(client.post(f"/v1/decisions/{decision}/tribunal-orders", json={
        **order, "ordered_on": (date.today() - timedelta(days=1)).isoformat()}, headers=officer), "ordered_on")
    refused(client.post(f"/v1/decisions/{decision}/tribunal-orders", json={**order, "outcome": "appeal_dismissed"},
                        headers=officer), "ordered_provider_id")
    made = client.post(f"/v1/decisions/{decision}/tribunal-orders", json=order, headers=officer)
    assert made.status_code == 201, made.text
    tests = [{"provider_id": PREFERRED, "test": "incompatible_efficient_education",
              "reasons": "The tribunal found the school the right place, as its order says."},
             {"provider_id": OTHER_PREFERENCE, "test": "unsuitable",
              "reasons": "The tribunal found its classes too large for the plan."}]
    body = {"reason": "tribunal_order", "tribunal_order_id": made.json()["id"], "reasons": "As the SEND Tribunal "
            "ordered: the school it named can meet the needs.", "preferences": tests,
            "override_reasons": "The tribunal's order decides it; the replies came before the hearing."}
    other = client.post(f"/v1/decisions/{decision}/reconsiderations",
                        json={**body, "named_provider_id": OTHER_PREFERENCE,
                              "preferences": [tests[0], {**tests[1], "test": "named"}]}, headers=officer)
    refused(other, "named_provider_id")
    assert "Tribunal ordered another setting" in other.text
    ordered = client.post(f"/v1/decisions/{decision}/reconsiderations", json={**body, "named_provider_id": SILENT},
                          headers=officer)
    assert ordered.status_code == 201, ordered.text  # the order stands in place of the setting's (missing) reply
    letter = client.get(f"/v1/decisions/{decision}/letter", headers=officer).text
    assert "The SEND Tribunal told us to name this school" in letter and "after the SEND Tribunal" in letter
