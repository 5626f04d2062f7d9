"""Councils and settings kept apart: every route x verb of the app's own route table, called by each of council B's
roles, and by the people of settings other than the one A consulted (one of B's, one of A's own), on council A's
objects, succeeds 0 times and writes nothing; lists show none of A's rows; every route names its roles.
On PostgreSQL the walk runs as the service's own role (no superuser, no BYPASSRLS), so row-level security is tested
as it holds in production, and the service warns loudly at start when its role could bypass it.
"""

import logging
from datetime import date, timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.platform.jobs import queue as jobs
from api.platform.security.keys import create_key
from api.platform.security.people import add_user
from api.platform.store.engine import bypasses_row_security
from api.records.officers import set_officer
from api.service.errors import api_routes
from api.settings import Settings
from tests.helpers.decisions import OFFICER
from tests.helpers.store import CHILD, A, B, auth, service_role_url, snapshot

A_PROVIDER = 900002  # hosted by A in the demo register, and able to deliver the child's package
B_SETTING, A_OTHER_SETTING = 900011, 900003  # a setting of B's, and one of A's that A did not consult
TERMS = {"annual_fee_gbp": 24_500, "start_on": "2099-01-04", "hours_per_week": 32.5}
SCENARIO = {"name": "A's run", "councils": [A], "cohort": {"synthetic": True}}
PASSWORD = "a-long-password-1"
REASONS = "It replied that it can meet the needs, and it is the nearest special school."
#: Routes anyone may call, with no object of a council behind them: the service, sign-in, the public register,
#: the packages' catalogue, the API's own documentation.
PUBLIC = {("GET", "/v1/health"), ("GET", "/v1/ready"), ("POST", "/v1/token"), ("GET", "/v1/providers"),
          ("GET", "/v1/providers/{provider_id}"), ("GET", "/v1/packages"), ("GET", "/v1/docs"),
          ("GET", "/v1/docs/swagger"),
          ("GET", "/v1/officers/me")}  # the last: the caller's own name, nothing of a council's
#: Lists: B may be answered, but with none of A's rows.
LISTS = {("GET", "/v1/children"), ("GET", "/v1/scenarios"), ("GET", "/v1/consultations"),
         ("GET", "/v1/consultations/overdue"), ("GET", "/v1/decisions"), ("GET", "/v1/offers"),
         ("GET", "/v1/portal/consultations"), ("GET", "/v1/portal/offers")}
NOTE = {"note": "The setting's reply was read against the plan."}


def a_objects(client, engine) -> dict:
    """Council A's child, a finished scenario job of A's, a provider A hosts, A's consultation about the child
    (sent 20 days ago: one reply overdue), A's decision on another consultation, and an offer on it that the setting
    accepted."""
    a_key = create_key(engine, "caseworker A", "caseworker", [A])
    assert client.post("/v1/children", json={**CHILD, "packages": ["SP-CI"]}, headers=auth(a_key)).status_code == 201
    job_id = jobs.submit(engine, {**SCENARIO, "data": "demo"}, "commissioner A", [A])
    jobs.finish(engine, job_id, "succeeded", result={"kpis": {"children": 1, "placed": 1}, "allocation": [],
                                                      "unplaced": []})
    officer = person(client, engine, "officer A", "decision_maker", [A])
    sent = (date.today() - timedelta(days=20)).isoformat()
    decided = client.post("/v1/consultations", json={"child_id": CHILD["child_id"], "provider_ids": [A_PROVIDER]},
                          headers=auth(a_key)).json()["consultation_id"]
    client.put(f"/v1/consultations/{decided}/replies/{A_PROVIDER}", json={"reply": "can_meet"}, headers=auth(a_key))
    client.post(f"/v1/consultations/{decided}/replies/{A_PROVIDER}/considered", json=NOTE, headers=officer)
    decision = client.post("/v1/decisions", json={"consultation_id": decided, "named_provider_id": A_PROVIDER,
                                                  "reasons": REASONS}, headers=officer)
    assert decision.status_code == 201, decision.text
    open_one = client.post("/v1/consultations", json={"child_id": CHILD["child_id"], "provider_ids": [A_PROVIDER],
                                                      "sent_on": sent}, headers=auth(a_key)).json()
    offer = client.post("/v1/offers", json={"decision_id": decision.json()["decision_id"], "terms": TERMS},
                        headers=officer)
    assert offer.status_code == 201, offer.text
    a_setting = setting_person(client, engine, "setting A", [A_PROVIDER])
    assert client.post(f"/v1/portal/offers/{offer.json()['offer_id']}/accept", headers=a_setting).status_code == 200
    return {"child_id": CHILD["child_id"], "job_id": job_id, "provider_id": str(A_PROVIDER),
            "consultation_id": open_one["consultation_id"], "decision_id": decision.json()["decision_id"],
            "offer_id": offer.json()["offer_id"]}


def person(client, engine, username: str, role: str, councils: list[str]) -> dict:
    add_user(engine, username, PASSWORD, role, councils)
    set_officer(engine, username, OFFICER, "admin")
    return auth(client.post("/v1/token", json={"username": username, "password": PASSWORD}).json()["access_token"])


def setting_person(client, engine, username: str, provider_ids: list[int]) -> dict:
    add_user(engine, username, PASSWORD, "setting", [], provider_ids)
    set_officer(engine, username, OFFICER, "admin")
    return auth(client.post("/v1/token", json={"username": username, "password": PASSWORD}).json()["access_token"])


def call(client, route: APIRoute, method: str, objects: dict, headers: dict):
    path = route.path
    for name, value in objects.items():
        path = path.replace("{" + name + "}", value)
    if path.endswith("/compare"):
        return client.request(method, path, params={"first": objects["job_id"], "second": objects["job_id"]},
                              headers=headers)
    if path.endswith("/import"):
        csv = f"child_id,home_council,easting,northing,age,primary_need\nA-99,{A},420000,570000,9,ASD\n"
        return client.request(method, path, content=csv.encode(), headers={**headers, "content-type": "text/csv"})
    bodies = {"/v1/children": CHILD, "/v1/shortlists": {"child_id": objects["child_id"], "purpose": "assessment"},
              "/v1/scenarios": SCENARIO, "/v1/token": {"username": "caseworker A", "password": "x" * 12},
              "/v1/packages/lists": {"child_id": objects["child_id"], "purpose": "assessment"},
              "/v1/consultations": {"child_id": objects["child_id"], "provider_ids": [A_PROVIDER]},
              "/v1/consultations/{consultation_id}/replies/{provider_id}": {"reply": "can_meet"},
              "/v1/consultations/{consultation_id}/replies/{provider_id}/considered": NOTE,
              "/v1/decisions": {"consultation_id": objects["consultation_id"], "named_provider_id": A_PROVIDER,
                                "reasons": REASONS},
              "/v1/decisions/{decision_id}/reconsiderations": {"reason": "council_review", "reasons": REASONS,
                                                               "named_provider_id": A_PROVIDER},
              "/v1/decisions/{decision_id}/mediation": {"held_on": date.today().isoformat(), "mediator": "Mediator",
                                                        "certificate_on": date.today().isoformat(),
                                                        "outcome": "agreed"},
              "/v1/decisions/{decision_id}/tribunal-orders": {"ordered_on": date.today().isoformat(),
                                                              "outcome": "appeal_dismissed",
                                                              "appeal_reference": "EH123/26/00001"},
              "/v1/offers": {"decision_id": objects["decision_id"], "terms": TERMS},
              "/v1/portal/settings/{provider_id}/vacancies": {"figures": [{"need": "ALL", "vacancies": 3}]},
              "/v1/portal/consultations/{consultation_id}/settings/{provider_id}/reply": {"reply": "can_meet"},
              "/v1/portal/offers/{offer_id}/decline": {"reason": "no_places"}}
    body = bodies.get(route.path, {"vacancies": 3} if "vacancies" in path else CHILD)
    return client.request(method, path, json=body if method in ("POST", "PUT") else None, headers=headers)


def test_council_b_reaches_nothing_of_council_a_by_any_route(api):
    client, _, engine = api
    objects = a_objects(client, engine)
    if engine.dialect.name == "postgresql":  # walk as the service's own role, which row-level security holds
        service = create_app(Settings(database_url=service_role_url()))
        assert not bypasses_row_security(service.state.engine)
        client = TestClient(service)
    b_callers = {role: auth(create_key(engine, f"{role} B", role, [B]))
                 for role in ("caseworker", "commissioner", "planner", "decision_maker")}
    b_callers.update({f"{role} B, a person": person(client, engine, f"{role} B", role, [B])
                      for role in ("caseworker", "decision_maker")})  # named people pass the checks keys fail
    b_callers.update({"setting of B": setting_person(client, engine, "setting B", [B_SETTING]),
                      "another setting of A": setting_person(client, engine, "setting A2", [A_OTHER_SETTING])})
    before = snapshot(engine)
    routes = api_routes(client.app)
    walked, successes = set(), []
    for route in routes:
        for method in sorted(route.methods):
            walked.add((method, route.path))
            for role, headers in b_callers.items():
                answer = call(client, route, method, objects, headers)
                assert answer.status_code < 500, (method, route.path, role)
                if (method, route.path) in LISTS and answer.status_code == 200:
                    rows = answer.json()
                    assert all(A not in (row.get("home_council"), row.get("council"), *row.get("councils", []))
                               for row in rows)
                elif (method, route.path) not in PUBLIC and answer.status_code < 400:
                    successes.append((method, route.path, role, answer.status_code))
    assert successes == []
    assert snapshot(engine) == before  # 0 writes
    expected = {("GET", "/v1/children/{child_id}"), ("PUT", "/v1/children/{child_id}"),
                ("DELETE", "/v1/children/{child_id}"), ("POST", "/v1/shortlists"), ("POST", "/v1/scenarios"),
                ("GET", "/v1/scenarios/{job_id}/results"), ("POST", "/v1/scenarios/{job_id}/cancel"),
                ("PUT", "/v1/providers/{provider_id}/vacancies"), ("POST", "/v1/children/import"),
                ("POST", "/v1/packages/lists"), ("POST", "/v1/consultations"),
                ("GET", "/v1/consultations/{consultation_id}"),
                ("PUT", "/v1/consultations/{consultation_id}/replies/{provider_id}"),
                ("POST", "/v1/consultations/{consultation_id}/replies/{provider_id}/considered"),
                ("POST", "/v1/consultations/{consultation_id}/close"), ("POST", "/v1/decisions"),
                ("GET", "/v1/decisions/{decision_id}"), ("POST", "/v1/decisions/{decision_id}/reconsiderations"),
                ("GET", "/v1/decisions/{decision_id}/verify"), ("GET", "/v1/decisions/{decision_id}/letter"),
                ("GET", "/v1/decisions/{decision_id}/bundle"), ("POST", "/v1/decisions/{decision_id}/mediation"),
                ("POST", "/v1/decisions/{decision_id}/tribunal-orders"),
                ("GET", "/v1/consultations/{consultation_id}/letters/{provider_id}"),
                ("GET", "/v1/offers/{offer_id}"), ("POST", "/v1/offers/{offer_id}/confirm"), ("POST", "/v1/offers"),
                ("GET", "/v1/portal/consultations/{consultation_id}/settings/{provider_id}"),
                ("PUT", "/v1/portal/consultations/{consultation_id}/settings/{provider_id}/reply"),
                ("PUT", "/v1/portal/settings/{provider_id}/vacancies"),
                ("GET", "/v1/portal/settings/{provider_id}/vacancies"), ("GET", "/v1/portal/offers/{offer_id}"),
                ("POST", "/v1/portal/offers/{offer_id}/accept"), ("POST", "/v1/portal/offers/{offer_id}/decline"),
                ("POST", "/v1/portal/offers/{offer_id}/agreement"), ("GET", "/v1/portal/offers/{offer_id}/agreement")}
    assert expected <= walked  # the walk reached the routes that hold A's objects


@pytest.mark.parametrize("path", ["/v1/children/{child_id}", "/v1/scenarios/{job_id}",
                                  "/v1/consultations/{consultation_id}", "/v1/decisions/{decision_id}",
                                  "/v1/decisions/{decision_id}/bundle", "/v1/offers/{offer_id}"])
def test_another_councils_object_answers_exactly_as_a_missing_one(api, path):
    client, _, engine = api
    objects = a_objects(client, engine)
    role = "commissioner" if "scenarios" in path else "caseworker"
    key = create_key(engine, f"{role} B", role, [B])
    held = client.get(path.format(**objects), headers=auth(key))
    nothing = "00000000-0000-0000-0000-000000000000"
    missing = client.get(path.format(child_id="NOBODY", job_id=nothing, consultation_id=nothing,
                                     decision_id=nothing, offer_id=nothing), headers=auth(key))
    assert held.status_code == missing.status_code == 404 and held.json() == missing.json()


def test_a_setting_reaches_what_is_addressed_to_it_and_nothing_else(api):
    """The walk's other half: the consulted setting's person does reach its consultation and offer (so the walls that
    stop the others are not simply shut), on PostgreSQL as the service's own role, under row-level security."""
    client, _, engine = api
    objects = a_objects(client, engine)
    if engine.dialect.name == "postgresql":
        client = TestClient(create_app(Settings(database_url=service_role_url())))
    mine = client.post("/v1/token", json={"username": "setting A", "password": PASSWORD}).json()["access_token"]
    consultation = f"/v1/portal/consultations/{objects['consultation_id']}/settings/{A_PROVIDER}"
    read = client.get(consultation, headers=auth(mine))
    assert read.status_code == 200 and read.json()["child"]["primary_need"] == CHILD["primary_need"]
    assert [row["offer_id"] for row in client.get("/v1/portal/offers", headers=auth(mine)).json()] == [
        objects["offer_id"]]
    addressed = client.get("/v1/portal/consultations", headers=auth(mine)).json()
    assert len(addressed) == 2 and objects["consultation_id"] in {row["consultation_id"] for row in addressed}
    other = setting_person(client, engine, "setting A2", [A_OTHER_SETTING])
    assert client.get(consultation.replace(str(A_PROVIDER), str(A_OTHER_SETTING)), headers=other).status_code == 404
    assert client.get("/v1/portal/consultations", headers=other).json() == []


def test_every_route_declares_the_roles_it_admits(api):
    client, _, _ = api
    for route in api_routes(client.app):
        roles = [getattr(dependency.call, "roles", None) for dependency in route.dependant.dependencies]
        declared = [found for found in roles if found]
        public = any((method, route.path) in PUBLIC for method in route.methods)
        assert public or len(declared) == 1, route.path


def test_the_service_warns_at_start_when_its_role_bypasses_row_security(api, caplog):
    client, _, engine = api
    if engine.dialect.name != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    with caplog.at_level(logging.WARNING):
        create_app(Settings(database_url=engine.url.render_as_string(hide_password=False)))  # the superuser
    assert "BYPASSRLS" in caplog.text and "SECURITY" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app(Settings(database_url=service_role_url()))
    assert "BYPASSRLS" not in caplog.text
