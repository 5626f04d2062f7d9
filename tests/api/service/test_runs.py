"""Runs people can tell apart: a name, a label and the scenario's description on every run; renamed, copied and
deleted by their owner only; bad names refused by field with nothing stored."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from api.platform.jobs.worker import run_worker
from api.platform.security.keys import create_key
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent, Job
from api.settings import Settings

COUNCILS = ["E06900001", "E06900002", "E06900003"]
DEMO = {"name": "Demo job", "description": "Every demo child re-placed.", "data": "demo", "councils": COUNCILS,
        "cohort": {"synthetic": True}}


def _setup(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'runs.db'}"))
    keys = {name: create_key(app.state.engine, name, "commissioner", councils) for name, councils in
            (("owner", COUNCILS), ("colleague", COUNCILS), ("elsewhere", ["E06900001"]))}
    return TestClient(app), {name: {"Authorization": f"Bearer {key}"} for name, key in keys.items()}


def _jobs(client) -> int:
    with sessions(client.app.state.engine)() as session:
        return session.scalar(select(func.count()).select_from(Job))


def test_a_run_has_a_name_label_and_description_and_its_owner_renames_copies_and_deletes_it(tmp_path):
    client, headers = _setup(tmp_path)
    submitted = client.post("/v1/scenarios?name=ASD growth&label=draft", json=DEMO, headers=headers["owner"])
    assert submitted.status_code == 202
    job_id = submitted.json()["job_id"]
    [listed] = client.get("/v1/scenarios", headers=headers["owner"]).json()
    assert (listed["name"], listed["label"], listed["description"]) == ("ASD growth", "draft",
                                                                        "Every demo child re-placed.")
    unnamed = client.post("/v1/scenarios", json=DEMO, headers=headers["owner"]).json()["job_id"]
    assert client.get(f"/v1/scenarios/{unnamed}", headers=headers["owner"]).json()["name"] == "Demo job"
    assert client.patch(f"/v1/scenarios/{job_id}", json={"name": "Theirs"}, headers=headers["colleague"]
                        ).status_code == 403  # sees it, does not own it
    assert client.patch(f"/v1/scenarios/{job_id}", json={"name": "Theirs"}, headers=headers["elsewhere"]
                        ).status_code == 404  # may not see it: as a missing run
    renamed = client.patch(f"/v1/scenarios/{job_id}", json={"name": "  For cabinet ", "label": "final"},
                           headers=headers["owner"])
    assert renamed.status_code == 200 and (renamed.json()["name"], renamed.json()["label"]) == ("For cabinet",
                                                                                                "final")
    copied = client.post(f"/v1/scenarios/{job_id}/clone", headers=headers["owner"])
    assert copied.status_code == 202
    copy = client.get(f"/v1/scenarios/{copied.json()['job_id']}", headers=headers["owner"]).json()
    assert copy["name"] == "Copy of For cabinet" and copy["status"] == "queued" and copy["label"] == "final"
    assert client.delete(f"/v1/scenarios/{job_id}", headers=headers["owner"]).status_code == 409  # still queued
    run_worker(client.app.state.engine, client.app.state.settings, once=True)
    assert client.delete(f"/v1/scenarios/{job_id}", headers=headers["colleague"]).status_code == 403
    assert client.delete(f"/v1/scenarios/{job_id}", headers=headers["owner"]).status_code == 204
    assert client.get(f"/v1/scenarios/{job_id}", headers=headers["owner"]).status_code == 404
    with sessions(client.app.state.engine)() as session:
        actions = {event.action for event in session.scalars(select(AuditEvent).where(AuditEvent.object_id ==
                                                                                        job_id))}
    assert {"submit", "rename", "delete"} <= actions


def test_bad_names_are_refused_by_field_and_nothing_is_stored(tmp_path):
    client, headers = _setup(tmp_path)
    job_id = client.post("/v1/scenarios?name=Kept", json=DEMO, headers=headers["owner"]).json()["job_id"]
    before = _jobs(client)
    for query, field in (("name=" + "x" * 101, "name"), ("name=ok&label=" + "y" * 101, "label"),
                         ("name=tab%09here", "name"), ("name=bell%07", "name"), ("label=line%0Abreak", "label")):
        answer = client.post(f"/v1/scenarios?{query}", json=DEMO, headers=headers["owner"])
        assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == field, query
    assert _jobs(client) == before
    for body, field in (({"name": "z" * 101}, "name"), ({"name": "ok", "label": "\x1b[31m"}, "label"),
                        ({"name": "   "}, "name")):
        answer = client.patch(f"/v1/scenarios/{job_id}", json=body, headers=headers["owner"])
        assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == field, body
        assert "\x1b" not in answer.text
    assert client.get(f"/v1/scenarios/{job_id}", headers=headers["owner"]).json()["name"] == "Kept"
    assert client.post(f"/v1/scenarios/{job_id}/clone", json={"name": "n" * 101},
                       headers=headers["owner"]).status_code == 422
    assert _jobs(client) == before


def test_a_comparison_is_decomposed_by_change_through_the_api(tmp_path):
    client, headers = _setup(tmp_path)
    first = client.post("/v1/scenarios", json=DEMO, headers=headers["owner"]).json()["job_id"]
    second = client.post("/v1/scenarios", json={**DEMO, "deltas": [{"close": 900009}]},
                         headers=headers["owner"]).json()["job_id"]
    query = f"first={first}&second={second}"
    assert client.post(f"/v1/scenarios/compare/explain?{query}", headers=headers["owner"]).status_code == 409
    run_worker(client.app.state.engine, client.app.state.settings, once=True)
    ran = [client.get(f"/v1/scenarios/{job}", headers=headers["owner"]).json() for job in (first, second)]
    assert [job["status"] for job in ran] == ["succeeded", "succeeded"], [(job["status"], job["error"]) for job in ran]
    assert client.get(f"/v1/scenarios/compare/decomposition?{query}", headers=headers["owner"]).status_code == 404
    asked = client.post(f"/v1/scenarios/compare/explain?{query}", headers=headers["owner"])
    assert asked.status_code == 202, asked.text
    assert client.get(f"/v1/scenarios/compare/decomposition?{query}", headers=headers["elsewhere"]).status_code == 404
    run_worker(client.app.state.engine, client.app.state.settings, once=True)
    answer = client.get(f"/v1/scenarios/compare/decomposition?{query}", headers=headers["owner"]).json()
    assert answer["status"] == "succeeded" and answer["kind"] == "decomposition"
    [row] = answer["decomposition"]["rows"]
    assert row["in_order"]["annual_cost_gbp"] == answer["decomposition"]["total"]["annual_cost_gbp"]
    kpis = [client.get(f"/v1/scenarios/{job}", headers=headers["owner"]).json()["kpis"] for job in (first, second)]
    assert abs(answer["decomposition"]["total"]["annual_cost_gbp"]
               - (kpis[1]["annual_cost_gbp"] - kpis[0]["annual_cost_gbp"])) <= 1


def test_a_change_naming_an_unknown_setting_is_refused_and_nothing_is_stored(tmp_path):
    client, headers = _setup(tmp_path)
    for delta in ({"close": 123456}, {"expand": {"123456": 10}}, {"add_places": {"provider_id": 123456, "need": "ASD",
                                                                                 "places": 5}}):
        answer = client.post("/v1/scenarios", json={**DEMO, "deltas": [delta]}, headers=headers["owner"])
        assert answer.status_code == 422, delta
        assert "123456" in answer.text and "not in the register" in answer.text and "deltas[0]" in answer.text
    assert _jobs(client) == 0
