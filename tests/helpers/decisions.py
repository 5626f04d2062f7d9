"""Helpers of the decision tests, the browser journey and the bundle bench: the child of issue 23 (two preferences:
an independent special school and a special academy near home), an officer by name, and a case decided through the
API, with (optionally) mediation and a reconsideration resting on it."""

from datetime import date, timedelta

from api.platform.security.keys import create_key
from api.platform.security.people import add_user
from api.records.officers import OfficerDetails, set_officer

A = "E06900001"
PREFERRED, OTHER_PREFERENCE = 900009, 900002
SILENT, CANNOT_DELIVER, CANNOT_MEET = 900005, 900004, 900011
CHILD = {"child_id": "A-17", "home_council": A, "easting": 420_000.0, "northing": 570_000.0, "age": 9,
         "primary_need": "ASD", "secondary_needs": ["SLCN"], "need_level": 3, "packages": ["SP-CI"],
         "preferences": [PREFERRED, OTHER_PREFERENCE]}
PASSWORD = "a-long-password-1"
OFFICER = OfficerDetails(full_name="Jane Okafor", job_title="SEND Placements Manager",
                         authority="Delegated authority to name placements, SEND scheme of delegation para 4.2")
REASONS = ("The academy replied that it can meet every part of the plan, it is nine minutes from home, and its "
           "autism base has a place now.")
LAWFUL_TESTS = [{"provider_id": PREFERRED, "test": "incompatible_efficient_use_of_resources",
                 "reasons": "Both can meet the needs; the independent school costs far more a year with transport."},
                {"provider_id": OTHER_PREFERENCE, "test": "named", "reasons": "It can meet the needs near home."}]


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def person(client, engine, username: str, role: str, councils: list[str], officer: bool = True) -> dict:
    """A named person's bearer token (the embedded default's sign-in), with their officer details recorded."""
    add_user(engine, username, PASSWORD, role, councils)
    if officer:
        set_officer(engine, username, OFFICER, "admin")
    answer = client.post("/v1/token", json={"username": username, "password": PASSWORD})
    return auth(answer.json()["access_token"])


def decided_case(client, engine, versions: int = 2) -> str:
    """The child decided through the API (the special academy named, the independent school passed over on the
    efficient-use test) and, for two versions, reconsidered after mediation; the decision's id."""
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    officer = person(client, engine, "officer.a", "decision_maker", [A])
    assert client.post("/v1/children", json=CHILD, headers=caseworker).status_code == 201
    sent = (date.today() - timedelta(days=20)).isoformat()
    consultation = client.post("/v1/consultations", json={"child_id": "A-17", "provider_ids": [
        PREFERRED, OTHER_PREFERENCE, SILENT], "sent_on": sent, "case_reference": "CASE-17"},
        headers=caseworker).json()["consultation_id"]
    for provider_id, reply in ((PREFERRED, "can_meet"), (OTHER_PREFERENCE, "can_meet"), (SILENT, "no_reply")):
        client.put(f"/v1/consultations/{consultation}/replies/{provider_id}", json={"reply": reply},
                   headers=caseworker)
        client.post(f"/v1/consultations/{consultation}/replies/{provider_id}/considered",
                    json={"note": "Read the reply against the plan's packages and the offer."}, headers=officer)
    first = client.post("/v1/decisions", json={"consultation_id": consultation, "named_provider_id": OTHER_PREFERENCE,
                                               "reasons": REASONS, "preferences": LAWFUL_TESTS}, headers=officer)
    assert first.status_code == 201, first.text
    decision = first.json()["decision_id"]
    if versions > 1:
        today = date.today().isoformat()
        mediation = client.post(f"/v1/decisions/{decision}/mediation", json={
            "held_on": today, "mediator": "Northvale Mediation Service", "certificate_on": today,
            "outcome": "agreed"}, headers=officer).json()["id"]
        second = client.post(f"/v1/decisions/{decision}/reconsiderations", json={
            "reason": "mediation", "mediation_id": mediation, "named_provider_id": PREFERRED,
            "reasons": "Mediation showed the smaller classes are needed; the independent school can meet the needs.",
            "preferences": [{"provider_id": PREFERRED, "test": "named", "reasons": "Agreed at mediation."},
                            {"provider_id": OTHER_PREFERENCE, "test": "unsuitable",
                             "reasons": "At mediation the parents showed its classes are too large for the plan."}],
            "override_reasons": "The setting's own reply did not know the class sizes the plan now sets out."},
            headers=officer)
        assert second.status_code == 201, second.text
    return decision
