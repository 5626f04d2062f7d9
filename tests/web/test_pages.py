"""The pages without a browser: signing in, CSRF, councils kept apart and audited as in the API, the README's API
example as written, and the OpenAPI's security schemes."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.platform.security.people import add_user
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent
from api.settings import Settings
from tests.helpers.browser import PASSWORD

CHILD = {"child_id": "A-1", "home_council": "E06900001", "easting": "420000", "northing": "570000", "age": "9",
         "primary_need": "ASD"}


def _signed_in(app, username: str) -> tuple[TestClient, str]:
    client = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    answer = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client, re.search(r'name="csrf_token" value="([^"]+)"', answer.text).group(1)


def test_pages_keep_councils_apart_refuse_forms_without_csrf_and_audit(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))
    add_user(app.state.engine, "cw-a", PASSWORD, "caseworker", ["E06900001"])
    add_user(app.state.engine, "cw-b", PASSWORD, "caseworker", ["E06900002"])
    a, a_token = _signed_in(app, "cw-a")
    [cookie] = [item for item in a.cookies.jar if item.name == "placewise_session"]
    assert cookie.secure and cookie.has_nonstandard_attr("httponly")  # Secure over TLS
    assert cookie.get_nonstandard_attr("samesite") == "lax"
    assert a.post("/children/new", data=CHILD).status_code == 403  # no CSRF token: nothing stored
    assert a.post("/children/new", data={**CHILD, "csrf_token": a_token}).status_code == 200
    b, b_token = _signed_in(app, "cw-b")
    held, missing = b.get("/children/A-1"), b.get("/children/NOBODY")
    assert held.status_code == missing.status_code == 404 and held.text == missing.text
    assert b.get("/children/A-1/shortlist?purpose=assessment").status_code == 404
    assert b.post("/children/A-1/edit", data={**CHILD, "csrf_token": b_token}).status_code == 404
    assert a.get("/children/A-1/shortlist?purpose=assessment&k=3").status_code == 200
    with sessions(app.state.engine)() as session:
        events = [(event.actor, event.action, event.object_id, event.purpose) for event in
                  session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert ("cw-a", "create", "A-1", None) in events and ("cw-a", "shortlist", "A-1", "assessment") in events
    assert ("cw-b", "refused", "A-1", None) in events


def test_bad_input_is_refused_in_words_without_the_values(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))
    add_user(app.state.engine, "cw-a", PASSWORD, "caseworker", ["E06900001"])
    client, token = _signed_in(app, "cw-a")
    answer = client.post("/children/new", data={**CHILD, "age": "SECRET-AGE", "home_lsoa": "NOT-AN-AREA",
                                                "csrf_token": token})
    assert answer.status_code == 422 and "govuk-error-summary" in answer.text
    assert "SECRET-AGE" not in answer.text and "NOT-AN-AREA" not in answer.text and "Traceback" not in answer.text


def test_the_readme_api_example_works_and_the_openapi_declares_its_schemes(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))
    add_user(app.state.engine, "cw-a-01", PASSWORD, "caseworker", ["E06900001"])
    client = TestClient(app)
    token = client.post("/v1/token", json={"username": "cw-a-01", "password": PASSWORD}).json()["access_token"]
    body = {"child": {"child_id": "C-17", "home_council": "E06900001", "easting": 420000, "northing": 570000,
                      "age": 9, "primary_need": "ASD"}, "k": 10, "purpose": "placement_search"}
    answer = client.post("/v1/shortlists", json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and len(answer.json()["candidates"]) == 10
    schemes = client.get("/v1/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer" and schemes["apiKey"]["name"] == "X-API-Key"
    swagger = client.get("/v1/docs/swagger").text
    assert "/assets/swagger/swagger-ui-bundle.js" in swagger and "cdn" not in swagger.lower()
    docs = client.get("/v1/docs").text  # the project's own page over the OpenAPI: every operation on it
    operations = [(method, path) for path, item in client.get("/v1/openapi.json").json()["paths"].items()
                  for method in item]
    assert len(operations) > 30 and all(f"<code>{path}</code>" in docs for _, path in operations)
    assert docs.count('class="govuk-summary-card"') == len(operations)


def test_a_commissioner_stops_a_queued_run_from_its_page_and_another_council_cannot(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))  # no worker: the job stays queued
    add_user(app.state.engine, "co-all", PASSWORD, "commissioner", ["E06900001", "E06900002", "E06900003"])
    add_user(app.state.engine, "co-b", PASSWORD, "commissioner", ["E06900002"])
    commissioner, token = _signed_in(app, "co-all")
    submitted = commissioner.post("/scenarios", data={"library": "demo", "csrf_token": token},
                                  follow_redirects=False)
    assert submitted.status_code == 303
    job_page = submitted.headers["location"]
    assert "Stop this run" in commissioner.get(job_page).text
    other, other_token = _signed_in(app, "co-b")  # acts for one of the job's three councils only
    assert other.post(f"{job_page}/cancel", data={"csrf_token": other_token}).status_code == 404
    assert commissioner.post(f"{job_page}/cancel", data={}).status_code == 403  # no CSRF token: nothing stopped
    assert "queued" in commissioner.get(f"{job_page}/progress").text
    stopped = commissioner.post(f"{job_page}/cancel", data={"csrf_token": token})
    assert stopped.status_code == 200 and "cancelled" in stopped.text and "Stop this run" not in stopped.text
    with sessions(app.state.engine)() as session:
        actions = [(event.actor, event.action) for event in session.scalars(select(AuditEvent))]
    assert ("co-all", "cancel") in actions and ("co-b", "cancel") not in actions
