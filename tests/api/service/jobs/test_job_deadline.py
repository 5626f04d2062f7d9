"""A scenario job's time limit covers the whole job, from its process's start: run out before any solving, the job
ends ``no_solution`` saying where its time went (never failed, never a traceback), and the worker goes on."""

import multiprocessing

from api.platform.jobs import queue as jobs
from api.platform.jobs.runner import job_seconds
from api.platform.jobs.worker import _Watch, _watch_run, run_worker
from api.platform.store.engine import make_engine, sessions
from api.platform.store.models import Job
from api.settings import Settings

COUNCILS = ["E06900001", "E06900002", "E06900003"]
#: The lexicographic MIP with less time than loading the demo takes on any machine.
NO_TIME = {"name": "No time", "data": "demo", "councils": COUNCILS, "cohort": {"synthetic": True},
           "solver": {"method": "mip", "time_limit_seconds": 1e-6},
           "policy": {"objective": "lexicographic", "priority": ["travel", "suitability"]}}


def test_a_job_whose_limit_runs_out_before_solving_ends_with_no_solution_and_why(tmp_path):
    url = f"sqlite:///{tmp_path / 'deadline.db'}"
    engine = make_engine(url)
    out_of_time = jobs.submit(engine, NO_TIME, "commissioner", COUNCILS)
    after = jobs.submit(engine, {**NO_TIME, "solver": {"time_limit_seconds": 600}}, "commissioner", COUNCILS)
    assert run_worker(engine, Settings(database_url=url), once=True) == 2
    with sessions(engine)() as session:
        stopped, ran = session.get(Job, out_of_time), session.get(Job, after)
    assert stopped is not None and ran is not None
    assert stopped.status == "no_solution" and stopped.result is None
    assert stopped.error.startswith("no solution: the time limit ran out while ")
    assert "before any solving" in stopped.error and "solver.time_limit_seconds" in stopped.error
    assert ran.status == "succeeded" and ran.result["kpis"]["solver"]["status"] == "optimal"


def test_a_job_s_limit_is_its_document_s_else_the_scenario_default():
    assert job_seconds({"solver": {"time_limit_seconds": 3}}) == 3.0
    assert job_seconds({"name": "x"}) == 120.0 and job_seconds({"job": "sweep"}) == 300.0


def _answer_at_once(answers: multiprocessing.Queue) -> None:
    answers.put(("progress", "loading the register and building the cohort"))
    answers.put(("no_solution", "the time limit ran out while loading the data"))


def test_a_job_that_ends_at_once_is_read_to_its_answer_not_taken_for_dead(tmp_path):
    """Its progress and its answer may both be waiting when the worker first looks, the process already gone."""
    url = f"sqlite:///{tmp_path / 'at_once.db'}"
    engine = make_engine(url)
    jobs.submit(engine, NO_TIME, "commissioner", COUNCILS)
    job = jobs.claim(engine, "worker-1", 30)
    assert job is not None
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    child = context.Process(target=_answer_at_once, args=(answers,))
    child.start()
    child.join()
    ended = _watch_run(child, answers, _Watch(engine, job, "worker-1", 30), limit=60)
    assert ended is not None and ended[:2] == ("no_solution", "the time limit ran out while loading the data")
