"""No job is ever lost: 100 scenario jobs on 3 worker processes, 10 of them SIGKILLed mid-run (each replaced by a
new one), on SQLite and on PostgreSQL. Every job ends succeeded (with results) or failed (with a reason), none is
left queued or running, and no process a killed worker started (its fork server, its jobs) outlives it."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from api.service.jobs import queue as jobs
from api.service.store.engine import make_engine, sessions
from api.service.store.models import Job
from tests.api.service.conftest import _postgres_ready, empty_postgres

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


def process_table() -> dict[int, tuple[int, str]]:
    """Every process now: pid -> (parent pid, start time), from /proc (the start time tells a reused pid apart)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            table[int(entry.name)] = (int(fields[1]), fields[19])
    return table


def descendants(root: int) -> set[tuple[int, str]]:
    """The processes below ``root`` now (its fork server, resource tracker, jobs), each as (pid, start time)."""
    table = process_table()
    found, pending = set(), [root]
    while pending:
        parent = pending.pop()
        for pid, (ppid, started) in table.items():
            if ppid == parent and (pid, started) not in found:
                found.add((pid, started))
                pending.append(pid)
    return found


def still_alive(processes: set[tuple[int, str]], seconds: float = 15.0) -> set[tuple[int, str]]:
    """Those of the processes still running (not zombies) once ``seconds`` have passed or all have gone."""
    deadline = time.monotonic() + seconds
    while True:
        table = process_table()
        alive = {(pid, started) for pid, started in processes if table.get(pid, (0, ""))[1] == started
                 and "Z" not in _state(pid)}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "postgresql":
        if not _postgres_ready():
            pytest.skip("PostgreSQL is not answering at 127.0.0.1:5432; .ci/run starts it in CI")
        return empty_postgres()
    return f"sqlite:///{tmp_path / 'crash.db'}"


def test_a_hundred_jobs_survive_ten_workers_killed_mid_run(store_url):
    url = store_url
    engine = make_engine(url)
    submitted = [jobs.submit(engine, SMALL, "crash test", SMALL["councils"]) for _ in range(JOBS)]
    workers = {number: start_worker(url, number) for number in range(WORKERS)}
    chooser, killed, next_number = random.Random(5), 0, WORKERS
    started_by_workers: set[tuple[int, str]] = set()
    deadline = time.monotonic() + 300  # a bound, so a stuck run fails within minutes instead of hanging CI
    try:
        while killed < KILLS and time.monotonic() < deadline:
            time.sleep(chooser.uniform(0.5, 2.0))
            busy = [number for number in workers if running_on(engine, f"worker-{number}")]
            if not busy:
                continue
            victim = chooser.choice(busy)
            started_by_workers |= descendants(workers[victim].pid)
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
            started_by_workers |= descendants(process.pid)
            process.kill()
            process.wait()
    orphans = still_alive(started_by_workers)
    assert killed == KILLS
    assert started_by_workers and not orphans  # 0 orphaned processes
    with sessions(engine)() as session:
        ended = {job.id: job for job in session.scalars(select(Job))}
    assert set(ended) == set(submitted)  # 0 lost
    assert all(job.status in ("succeeded", "failed") for job in ended.values()), statuses(engine)  # 0 stuck
    assert all(job.result and job.result["kpis"]["children"] > 0 for job in ended.values()
               if job.status == "succeeded")  # 0 succeeded without results
    assert all(job.error for job in ended.values() if job.status == "failed")
    retried = sum(job.attempts > 1 for job in ended.values())
    assert retried >= 1 and sum(job.status == "succeeded" for job in ended.values()) >= JOBS - KILLS
