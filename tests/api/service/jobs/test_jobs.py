"""Scenario jobs: submitted through the API, run by workers, cancelled, and never lost when a worker is killed."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from api.app import create_app
from api.platform.jobs import queue as jobs
from api.platform.jobs.worker import run_worker
from api.platform.security.keys import create_key
from api.platform.store.engine import sessions
from api.platform.store.models import Job
from api.settings import Settings

DEMO = {"name": "Demo job", "data": "demo", "councils": ["E06900001", "E06900002", "E06900003"],
        "cohort": {"synthetic": True}}


def setup(tmp_path, **settings):
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    app = create_app(Settings(database_url=url, **settings))
    key = create_key(app.state.engine, "commissioner", "commissioner", DEMO["councils"])
    other = create_key(app.state.engine, "elsewhere", "commissioner", ["E06000001"])
    return TestClient(app), {"Authorization": f"Bearer {key}"}, {"Authorization": f"Bearer {other}"}, url


def test_a_submitted_scenario_is_run_by_a_worker_and_its_results_read_back(tmp_path):
    client, headers, elsewhere, _ = setup(tmp_path)
    submitted = client.post("/v1/scenarios", json=DEMO, headers=headers)
    assert submitted.status_code == 202
    job_id = submitted.json()["job_id"]
    assert client.get(f"/v1/scenarios/{job_id}", headers=elsewhere).status_code == 404
    assert run_worker(client.app.state.engine, client.app.state.settings, once=True) == 1
    answer = client.get(f"/v1/scenarios/{job_id}", headers=headers).json()
    assert answer["status"] == "succeeded" and answer["kpis"]["children"] == 240
    assert answer["kpis"]["checker_problems"] == 0 and answer["progress"]
    results = client.get(f"/v1/scenarios/{job_id}/results", headers=headers).json()
    assert len(results["allocation"]) == 240 and len(results["unplaced"]) == answer["kpis"]["unplaced"] > 0
    assert all(row["reason"] for row in results["unplaced"])
    with sessions(client.app.state.engine)() as session:  # the export is the stored result, reshaped in nothing
        stored = session.get(Job, job_id)
        assert stored is not None and stored.result is not None
        assert list(results) == ["job_id", "status", *stored.result]
        assert results == {"job_id": job_id, "status": "succeeded", **stored.result}


def test_bad_scenarios_are_refused_before_any_job(tmp_path):
    client, headers, _, _ = setup(tmp_path)
    yaml_headers = {**headers, "content-type": "application/yaml"}
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    cases = [
        (client.post("/v1/scenarios", content=bomb, headers=yaml_headers), "aliases"),
        (client.post("/v1/scenarios", content="name: !!python/object:os.system x", headers=yaml_headers),
         "not a UTF-8 JSON or YAML"),
        (client.post("/v1/scenarios", json={**DEMO, "cohort": {"csv": "/etc/passwd"}}, headers=headers),
         "files are not read"),
        (client.post("/v1/scenarios", json={**DEMO, "councils": ["E06000001"]}, headers=headers), "do not act for"),
        (client.post("/v1/scenarios", json={**DEMO, "policy": {"budget_gbp": -1}}, headers=headers), "budget_gbp"),
        (client.post("/v1/scenarios", json={**DEMO, "transport_costs": "/etc/passwd"}, headers=headers),
         "transport_costs: not accepted through the service"),
        (client.post("/v1/scenarios", json={**DEMO, "policy": {"travel_cap_percentile": 0}}, headers=headers),
         "travel_cap_percentile"),
        (client.post("/v1/scenarios", json={**DEMO, "policy": {"travel_caps_minutes": {"primary": -5}}},
                     headers=headers), "travel_caps_minutes"),
    ]
    for answer, expected in cases:
        assert answer.status_code in (403, 422) and expected in answer.text, (expected, answer.text)
    with sessions(client.app.state.engine)() as session:
        assert session.query(Job).count() == 0


def test_a_queued_job_cancels_at_once(tmp_path):
    client, headers, _, _ = setup(tmp_path)
    job_id = client.post("/v1/scenarios", json=DEMO, headers=headers).json()["job_id"]
    assert client.post(f"/v1/scenarios/{job_id}/cancel", headers=headers).json()["status"] == "cancelled"
    assert run_worker(client.app.state.engine, client.app.state.settings, once=True) == 0


def test_a_job_whose_worker_was_killed_is_run_again_and_never_lost(tmp_path):
    client, headers, _, url = setup(tmp_path)
    job_id = client.post("/v1/scenarios", json=DEMO, headers=headers).json()["job_id"]
    code = ("import sys, time; from api.platform.jobs.worker import claim; "
            "from api.platform.store.engine import make_engine; claim(make_engine(sys.argv[1]), 'doomed', 10); "
            "time.sleep(60)")
    doomed = subprocess.Popen([sys.executable, "-c", code, url], env={**os.environ, "PYTHONPATH": os.getcwd()})
    engine = client.app.state.engine
    for _ in range(100):
        with sessions(engine)() as session:
            if session.get(Job, job_id).worker == "doomed":
                break
        time.sleep(0.1)
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait()
    assert jobs.claim(engine, "early", 10) is None  # the lease still holds: nobody else may take it yet
    with sessions(engine).begin() as session:  # let the lease lapse instead of waiting LEASE_S
        session.execute(update(Job).where(Job.id == job_id).values(lease_until=datetime.now(UTC) - timedelta(1)))
    assert run_worker(engine, client.app.state.settings, once=True) == 1
    answer = client.get(f"/v1/scenarios/{job_id}", headers=headers).json()
    assert answer["status"] == "succeeded" and answer["attempts"] == 2


def test_a_job_lost_too_often_fails_with_the_reason(tmp_path):
    client, headers, _, _ = setup(tmp_path)
    job_id = client.post("/v1/scenarios", json=DEMO, headers=headers).json()["job_id"]
    engine = client.app.state.engine
    with sessions(engine).begin() as session:
        session.execute(update(Job).where(Job.id == job_id).values(
            status="running", attempts=jobs.MAX_ATTEMPTS, lease_until=datetime.now(UTC) - timedelta(1)))
    assert jobs.claim(engine, "late", 10) is None
    answer = client.get(f"/v1/scenarios/{job_id}", headers=headers).json()
    assert answer["status"] == "failed" and "lost 3 times" in answer["error"]


def test_a_council_may_have_three_jobs_waiting_at_once(tmp_path):
    client, headers, _, _ = setup(tmp_path)
    answers = [client.post("/v1/scenarios", json=DEMO, headers=headers) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [202, 202, 202, 429]
    assert "E06900001 has 3 scenario jobs" in answers[-1].text


def worker_thread(engine):
    thread = threading.Thread(target=run_worker, args=(engine, Settings()), kwargs={"once": True}, daemon=True)
    thread.start()
    return thread


def wait_for(client, headers, job_id, statuses, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = client.get(f"/v1/scenarios/{job_id}", headers=headers).json()
        if answer["status"] in statuses:
            return answer
        time.sleep(0.05)
    raise AssertionError(f"the job did not reach {statuses}")


def test_a_running_job_is_cancelled_and_its_worker_goes_on(tmp_path):
    """How fast a cancel lands is measured in bench/jobs.py, not here: a test never depends on the machine's
    speed."""
    client, headers, _, _ = setup(tmp_path)
    job_id = client.post("/v1/scenarios", json=DEMO, headers=headers).json()["job_id"]
    thread = worker_thread(client.app.state.engine)
    wait_for(client, headers, job_id, ("running",))
    assert client.post(f"/v1/scenarios/{job_id}/cancel", headers=headers).json()["status"] == "cancelling"
    answer = wait_for(client, headers, job_id, jobs.TERMINAL)
    assert answer["status"] == "cancelled"
    thread.join(10)
    assert not thread.is_alive()


def test_a_run_over_its_memory_cap_fails_with_the_reason(tmp_path):
    client, headers, _, _ = setup(tmp_path, job_memory_gb=0.05)
    job_id = client.post("/v1/scenarios", json=DEMO, headers=headers).json()["job_id"]
    assert run_worker(client.app.state.engine, client.app.state.settings, once=True) == 1
    answer = client.get(f"/v1/scenarios/{job_id}", headers=headers).json()
    assert answer["status"] == "failed" and "memory cap of 0.05 GiB" in answer["error"]


def test_caps_on_providers_and_children_per_scenario(tmp_path):
    client, headers, _, _ = setup(tmp_path, max_providers=10)
    refused = client.post("/v1/scenarios", json=DEMO, headers=headers)
    assert refused.status_code == 422 and "at most 10" in refused.text
    client.app.state.settings = Settings(database_url=client.app.state.settings.database_url, max_children=100)
    job_id = client.post("/v1/scenarios", json=DEMO, headers=headers).json()["job_id"]
    run_worker(client.app.state.engine, client.app.state.settings, once=True)
    answer = client.get(f"/v1/scenarios/{job_id}", headers=headers).json()
    assert answer["status"] == "failed" and "at most 100" in answer["error"]


def test_two_runs_compare_side_by_side(tmp_path):
    client, headers, _, _ = setup(tmp_path)
    first = client.post("/v1/scenarios", json=DEMO, headers=headers).json()["job_id"]
    grown = {**DEMO, "name": "Growth", "deltas": [{"demand_growth": {"ASD": 0.2}}]}
    second = client.post("/v1/scenarios", json=grown, headers=headers).json()["job_id"]
    early = client.get("/v1/scenarios/compare", params={"first": first, "second": second}, headers=headers)
    assert early.status_code == 409
    assert run_worker(client.app.state.engine, client.app.state.settings, once=True) == 2
    answer = client.get("/v1/scenarios/compare", params={"first": first, "second": second}, headers=headers).json()
    rows = {row["kpi"]: row for row in answer["kpis"]}
    assert rows["children"]["first"] == 240 and rows["children"]["difference"] > 0
    assert rows["children"]["second"] - rows["children"]["first"] == rows["children"]["difference"]
    listed = client.get("/v1/scenarios", headers=headers).json()
    assert {row["job_id"] for row in listed} == {first, second}


def test_a_national_job_is_an_admin_s_alone(tmp_path):
    client, headers, _, _ = setup(tmp_path, max_councils=2)  # the demo's three councils make a "national" job
    refused = client.post("/v1/scenarios", json=DEMO, headers=headers)
    assert refused.status_code == 403 and "only an admin" in refused.text
    admin = create_key(client.app.state.engine, "admin", "admin", [])
    accepted = client.post("/v1/scenarios", json=DEMO, headers={"Authorization": f"Bearer {admin}"})
    assert accepted.status_code == 202
