"""No job is ever lost: 100 scenario jobs on 3 worker processes, 10 of them SIGKILLed mid-run (each replaced by a
new one), on the embedded SQLite store. Every job ends succeeded (with results) or failed (with a reason)."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from api.service.jobs import queue as jobs
from api.service.store.engine import make_engine, sessions
from api.service.store.models import Job

JOBS, WORKERS, KILLS = 100, 3, 10
SMALL = {"name": "Crash test", "data": "demo", "councils": ["E06900001"], "cohort": {"synthetic": True, "ages": [4, 9]},
         "solver": {"time_limit_seconds": 30}}
ROOT = Path(__file__).resolve().parents[4]


def start_worker(url: str, number: int) -> subprocess.Popen:
    environment = {**os.environ, "PLACEWISE_DATABASE_URL": url, "PLACEWISE_LEASE_SECONDS": "3",
                   "PYTHONPATH": str(ROOT)}
    code = ("from api.service.jobs.worker import run_worker; from api.service.store.engine import make_engine; "
            "from api.settings import Settings; settings = Settings(); "
            f"run_worker(make_engine(settings.database_url), settings, name='worker-{number}', idle_s=0.2)")
    return subprocess.Popen([sys.executable, "-c", code], env=environment, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def statuses(engine) -> dict[str, int]:
    with sessions(engine)() as session:
        found = session.scalars(select(Job.status)).all()
    return {status: found.count(status) for status in set(found)}


def running_on(engine, worker: str) -> bool:
    with sessions(engine)() as session:
        return session.scalar(select(Job.id).where(Job.worker == worker, Job.status == "running")) is not None


def test_a_hundred_jobs_survive_ten_workers_killed_mid_run(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    engine = make_engine(url)
    submitted = [jobs.submit(engine, SMALL, "crash test", SMALL["councils"]) for _ in range(JOBS)]
    workers = {number: start_worker(url, number) for number in range(WORKERS)}
    chooser, killed, next_number = random.Random(5), 0, WORKERS
    deadline = time.monotonic() + 300  # a bound, so a stuck run fails within minutes instead of hanging CI
    try:
        while killed < KILLS and time.monotonic() < deadline:
            time.sleep(chooser.uniform(0.5, 2.0))
            busy = [number for number in workers if running_on(engine, f"worker-{number}")]
            if not busy:
                continue
            victim = chooser.choice(busy)
            os.kill(workers[victim].pid, signal.SIGKILL)  # mid-run: it holds a running job
            workers.pop(victim).wait()
            killed += 1
            workers[next_number] = start_worker(url, next_number)
            next_number += 1
        while time.monotonic() < deadline:
            counts = statuses(engine)
            if counts.get("queued", 0) + counts.get("running", 0) == 0:
                break
            time.sleep(1)
    finally:
        for process in workers.values():
            process.kill()
            process.wait()
    assert killed == KILLS
    with sessions(engine)() as session:
        ended = {job.id: job for job in session.scalars(select(Job))}
    assert set(ended) == set(submitted)  # 0 lost
    assert all(job.status in ("succeeded", "failed") for job in ended.values()), statuses(engine)
    assert all(job.result and job.result["kpis"]["children"] > 0 for job in ended.values()
               if job.status == "succeeded")  # 0 succeeded without results
    assert all(job.error for job in ended.values() if job.status == "failed")
    retried = sum(job.attempts > 1 for job in ended.values())
    assert retried >= 1 and sum(job.status == "succeeded" for job in ended.values()) >= JOBS - KILLS
