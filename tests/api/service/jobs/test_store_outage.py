"""A running job whose PostgreSQL store is cut or vanishes: a cut connection costs the job nothing (it ends as if
nothing happened), and a store gone for longer than the job's lease has its worker stop the job's process at once
(never left running, holding its memory) and run the job again once the store is back, instead of failing it."""

import time

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from api.platform.jobs import queue as jobs
from api.platform.store.engine import make_engine, sessions
from api.platform.store.models import Job
from tests.helpers.processes import descendants, still_alive
from tests.helpers.store import POSTGRES, cut_connections, empty_postgres, postgres_ready, store_down
from tests.helpers.workers import LEASE_SECONDS, start_worker

#: A run that keeps its process busy for its whole time limit: council budgets send it to the MIP, which stops at
#: its limit with a feasible allocation.
LONG = {"name": "Long run", "data": "demo", "councils": ["E06900001", "E06900002", "E06900003"],
        "cohort": {"synthetic": True}, "solver": {"method": "mip", "time_limit_seconds": 20},
        "policy": {"council_budgets_gbp": {"E06900001": 1_000_000, "E06900002": 1_000_000,
                                           "E06900003": 1_000_000}}}
DATABASE = make_url(POSTGRES).database


@pytest.fixture
def engine():
    """The test's own view of the store: a new connection for every look, so that cutting the worker's
    connections never trips the test itself."""
    if not postgres_ready():
        pytest.skip("PostgreSQL is not answering at 127.0.0.1:5432; .ci/run starts it in CI")
    url = empty_postgres()
    make_engine(url).dispose()
    return create_engine(url, poolclass=NullPool)


def job(engine, job_id: str) -> Job:
    with sessions(engine)() as session:
        found = session.get(Job, job_id)
    assert found is not None
    return found


def running_job_processes(engine, job_id: str, worker, seconds: float = 120.0) -> set[tuple[int, str]]:
    """Once the job runs and its process is up: the processes under the worker's fork server (the job's)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if job(engine, job_id).status == "running":
            below = descendants(worker.pid)
            jobs_up = {(pid, started) for pid, started in below if (pid, started) not in
                       {child for child in below if _parent(child[0]) == worker.pid}}
            if jobs_up:
                return jobs_up
        time.sleep(0.2)
    raise AssertionError("the job never started running")


def _parent(pid: int) -> int:
    from tests.helpers.processes import process_table

    return process_table().get(pid, (0, ""))[0]


def ended(engine, job_id: str, seconds: float = 240.0) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = job(engine, job_id)
        if found.status in jobs.TERMINAL:
            return found
        time.sleep(0.5)
    raise AssertionError(f"the job is still {job(engine, job_id).status}")


def test_a_cut_connection_mid_run_costs_the_job_nothing(engine):
    job_id = jobs.submit(engine, LONG, "outage test", LONG["councils"])
    worker = start_worker(engine.url.render_as_string(hide_password=False), 1)
    try:
        running_job_processes(engine, job_id, worker)
        time.sleep(2)
        assert cut_connections(DATABASE) >= 1  # the worker's connections are cut mid-run
        found = ended(engine, job_id)
    finally:
        worker.kill()
        worker.wait()
    assert found.status == "succeeded" and found.attempts == 1, (found.status, found.error)


def test_a_store_gone_mid_run_stops_the_jobs_process_and_the_job_runs_again(engine):
    job_id = jobs.submit(engine, LONG, "outage test", LONG["councils"])
    worker = start_worker(engine.url.render_as_string(hide_password=False), 1)
    try:
        first_run = running_job_processes(engine, job_id, worker)
        with store_down(DATABASE):
            # within the lease and a little more, long before the run's 20 s are up, its process is gone
            assert still_alive(first_run, seconds=LEASE_SECONDS + 4) == set()
        found = ended(engine, job_id)
    finally:
        worker.kill()
        worker.wait()
    assert found.status == "succeeded" and found.attempts == 2, (found.status, found.error)
    assert found.result["kpis"]["children"] > 0
