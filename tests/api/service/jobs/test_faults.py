"""Workers survive any one job: a result with non-finite numbers never reaches the store, a job that finds no
solution or places nobody ends as ``no_solution`` (never ``succeeded``), a store or serialisation error fails that
job with its reason, and the workers go on to run other councils' jobs, on both backends."""

import json
import time

import pytest
from sqlalchemy import select

from api.platform.jobs import queue as jobs
from api.platform.jobs import worker as worker_module
from api.platform.jobs.worker import run_worker
from api.platform.store.engine import make_engine, sessions
from api.platform.store.models import Job
from api.settings import Settings
from tests.helpers.store import empty_postgres, postgres_ready
from tests.helpers.workers import start_worker

COUNCILS = ["E06900001", "E06900002", "E06900003"]
#: The MIP under a lexicographic policy with almost no time (for the whole job): no solution, nothing solved.
NO_SOLUTION = {"name": "No solution", "data": "demo", "councils": COUNCILS, "cohort": {"synthetic": True},
               "solver": {"method": "mip", "time_limit_seconds": 0.001},
               "policy": {"objective": "lexicographic", "priority": ["travel", "suitability"]}}


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "postgresql":
        if not postgres_ready():
            pytest.skip("PostgreSQL is not answering at 127.0.0.1:5432; .ci/run starts it in CI")
        return empty_postgres()
    return f"sqlite:///{tmp_path / 'faults.db'}"


def ended(engine, job_ids, seconds=180.0) -> dict[str, Job]:
    deadline = time.monotonic() + seconds  # a bound, so a stuck job fails the test instead of hanging CI
    while time.monotonic() < deadline:
        with sessions(engine)() as session:
            found = {job.id: job for job in session.scalars(select(Job).where(Job.id.in_(job_ids)))}
        if all(job.status in jobs.TERMINAL for job in found.values()):
            return found
        time.sleep(0.5)
    raise AssertionError(f"jobs still waiting: {[job.status for job in found.values()]}")


def test_a_job_with_no_solution_fails_with_its_reason_and_three_workers_run_the_others(store_url):
    engine = make_engine(store_url)
    bad = jobs.submit(engine, NO_SOLUTION, "commissioner", COUNCILS)
    others = [jobs.submit(engine, {"name": f"Run {council}", "data": "demo", "councils": [council],
                                   "cohort": {"synthetic": True}}, "commissioner", [council]) for council in COUNCILS]
    workers = [start_worker(store_url, number) for number in range(3)]
    try:
        found = ended(engine, [bad, *others])
        alive = [process.poll() is None for process in workers]
    finally:
        for process in workers:
            process.kill()
            process.wait()
    assert found[bad].status == "no_solution" and "no solution" in found[bad].error, found[bad].error
    assert found[bad].result is None and "before any solving" in found[bad].error
    assert [found[job_id].status for job_id in others] == ["succeeded"] * 3
    assert alive == [True, True, True]


def test_non_finite_numbers_never_reach_the_store(store_url):
    engine = make_engine(store_url)
    job_id = jobs.submit(engine, NO_SOLUTION, "commissioner", COUNCILS)
    jobs.claim(engine, "w", 10)
    jobs.finish(engine, job_id, "succeeded", result={"kpis": {"gap": float("inf"), "mean": float("nan"),
                                                              "nested": [float("-inf"), 1.5]}}, worker="w")
    with sessions(engine)() as session:
        stored = session.get(Job, job_id)
    assert stored.status == "succeeded"
    assert stored.result == {"kpis": {"gap": None, "mean": None, "nested": [None, 1.5]}}
    json.dumps(stored.result, allow_nan=False)


def test_a_store_error_fails_that_job_with_its_reason_and_the_worker_goes_on(store_url, monkeypatch):
    engine = make_engine(store_url)
    first = jobs.submit(engine, {"name": "A", "data": "demo", "councils": ["E06900001"], "cohort": {"synthetic": True}},
                        "commissioner", ["E06900001"])
    second = jobs.submit(engine, {"name": "B", "data": "demo", "councils": ["E06900002"],
                                  "cohort": {"synthetic": True}}, "commissioner", ["E06900002"])
    real_finish, calls = worker_module.finish, []

    def failing_once(*arguments, **named):
        calls.append(arguments[1])
        if len(calls) == 1:
            raise TypeError("Object of type Timestamp is not JSON serializable")
        return real_finish(*arguments, **named)

    monkeypatch.setattr(worker_module, "finish", failing_once)
    assert run_worker(engine, Settings(database_url=store_url), once=True) == 2
    found = ended(engine, [first, second], seconds=5)
    assert found[first].status == "failed" and "could not be stored (TypeError)" in found[first].error
    assert found[first].result is None and found[second].status == "succeeded"
