"""A scenario job on the councils' stored children (``cohort: {stored: true}``): the children are read (and
audited) when the job is queued, the run compares each child's setting today with the proposed, and the compare
page shows "as is" beside "proposed"."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.platform.jobs.worker import run_worker
from api.platform.security.keys import create_key
from api.platform.security.people import add_user
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent
from api.settings import Settings
from tests.helpers.browser import PASSWORD

COUNCILS = ["E06900001", "E06900002", "E06900003"]
STORED = {"name": "Today's children", "data": "demo", "councils": COUNCILS, "cohort": {"stored": True}}
CHILDREN = [  # one at a setting not designated for its need (it moves), one where it suits (it stays)
    {"child_id": "S-1", "home_council": "E06900001", "easting": 418000, "northing": 566000, "age": 9,
     "primary_need": "ASD", "current_provider_id": 900001, "current_kind": "special_maintained"},
    {"child_id": "S-2", "home_council": "E06900001", "easting": 418000, "northing": 566000, "age": 9,
     "primary_need": "ASD", "current_provider_id": 900002, "current_kind": "special_academy"}]


def test_a_job_on_stored_children_compares_today_with_the_proposed(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'jobs.db'}"))
    headers = {"Authorization": f"Bearer {create_key(app.state.engine, 'co', 'commissioner', COUNCILS)}"}
    client = TestClient(app)
    empty = client.post("/v1/scenarios", json=STORED, headers=headers)
    assert empty.status_code == 422 and "no children are stored" in empty.text
    for child in CHILDREN:
        assert client.post("/v1/children", json=child, headers=headers).status_code == 201
    inline = {**STORED, "cohort": {"children": CHILDREN}}
    assert client.post("/v1/scenarios", json=inline, headers=headers).status_code == 422
    jobs = [client.post("/v1/scenarios", json={**STORED, "name": name}, headers=headers).json()["job_id"]
            for name in ("Today's children", "Again")]
    assert run_worker(app.state.engine, app.state.settings, once=True) == 2
    kpis = client.get(f"/v1/scenarios/{jobs[0]}", headers=headers).json()["kpis"]
    baseline = kpis["baseline"]
    assert (kpis["children"], baseline["decisions"], baseline["as_is_breaks"]) == (
        2, {"moves": 1, "stays": 1}, {"need_not_designated": 1})
    with sessions(app.state.engine)() as session:
        read = {event.object_id for event in session.scalars(select(AuditEvent).where(
            AuditEvent.action == "scenario_cohort"))}
    assert read == {"S-1", "S-2"}
    add_user(app.state.engine, "co-page", PASSWORD, "commissioner", COUNCILS)
    pages = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', pages.get("/sign-in").text).group(1)
    pages.post("/sign-in", data={"username": "co-page", "password": PASSWORD, "csrf_token": token})
    compared = pages.get("/scenarios/compare", params={"first": jobs[0], "second": jobs[1]})
    assert compared.status_code == 200
    text = compared.text.replace("&#39;", "'")
    assert "Today's children: today's placements against the proposed" in text and "As is (today)" in text
