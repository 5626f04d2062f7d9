"""Scenario jobs that are never lost: a leased queue in the store, and the worker that runs them.

A worker claims a job with one conditional UPDATE (a queued job, or a running one whose lease has lapsed), so two
workers never hold the same job on either backend. While the scenario runs in a child process, the worker renews
the lease every ``HEARTBEAT_S`` and watches for cancellation (the child is stopped within ``HEARTBEAT_S``). A
worker killed outright stops renewing; once its lease lapses another worker takes the job again, up to
``MAX_ATTEMPTS`` times, after which the job fails with the reason. Every job ends succeeded, failed or cancelled.
"""

import multiprocessing
import queue
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine

from api.store import Job, sessions
from geodata.errors import PlacewiseError

LEASE_S = 10.0
HEARTBEAT_S = 1.0
MAX_ATTEMPTS = 3
TERMINAL = ("succeeded", "failed", "cancelled")


def submit(engine: Engine, spec: dict, submitted_by: str, councils: list[str]) -> str:
    job_id = str(uuid.uuid4())
    with sessions(engine).begin() as session:
        session.add(Job(id=job_id, submitted_by=submitted_by, councils=councils, spec=spec, status="queued"))
    return job_id


def claim(engine: Engine, worker: str) -> Job | None:
    """Take the oldest job that is queued or whose lease has lapsed; None when there is none."""
    now = datetime.now(UTC)
    lapsed = or_(Job.status == "queued", (Job.status == "running") & (Job.lease_until < now))
    with sessions(engine)() as session:
        candidates = session.scalars(select(Job.id).where(lapsed).order_by(Job.created_at).limit(5)).all()
    for job_id in candidates:
        with sessions(engine).begin() as session:
            taken = session.execute(update(Job).where(Job.id == job_id, lapsed).values(
                status="running", worker=worker, lease_until=now + timedelta(seconds=LEASE_S),
                attempts=Job.attempts + 1)).rowcount
        if taken == 1:
            with sessions(engine)() as session:
                job = session.get(Job, job_id)
            if job is not None and job.attempts > MAX_ATTEMPTS:
                finish(engine, job_id, "failed", error=f"lost {MAX_ATTEMPTS} times (its worker stopped mid-run)")
                continue
            return job
    return None


def finish(engine: Engine, job_id: str, status: str, result: dict | None = None, error: str | None = None) -> None:
    with sessions(engine).begin() as session:
        session.execute(update(Job).where(Job.id == job_id).values(status=status, result=result,
                                                                   error=(error or "")[:500] or None,
                                                                   lease_until=None))


def run_worker(engine: Engine, data_dir: Path | None, name: str | None = None, once: bool = False,
               idle_s: float = 0.5) -> int:
    """Claim and run jobs until stopped (or, with ``once``, until the queue is empty); returns the jobs run."""
    worker = name or f"worker-{uuid.uuid4().hex[:8]}"
    done = 0
    while True:
        job = claim(engine, worker)
        if job is None:
            if once:
                return done
            time.sleep(idle_s)
            continue
        _run_one(engine, job, worker, data_dir)
        done += 1


def _run_one(engine: Engine, job: Job, worker: str, data_dir: Path | None) -> None:
    context = multiprocessing.get_context("spawn")
    answers: multiprocessing.Queue = context.Queue()
    child = context.Process(target=_run_scenario, args=(job.spec, str(data_dir) if data_dir else None, answers))
    child.start()
    limit = float(job.spec.get("solver", {}).get("time_limit_seconds", 120)) + 60.0
    started = time.monotonic()
    while True:
        try:
            status, payload = answers.get(timeout=HEARTBEAT_S)
            break
        except queue.Empty:
            pass
        with sessions(engine).begin() as session:
            current = session.get(Job, job.id)
            if current is None or current.worker != worker:
                child.terminate()
                return  # the job was taken over; its new worker finishes it
            current.lease_until = datetime.now(UTC) + timedelta(seconds=LEASE_S)
            cancelled = current.cancel_requested
        if cancelled or time.monotonic() - started > limit or not child.is_alive():
            child.terminate()
            child.join(5)
            reason = ("cancelled" if cancelled else "over its time limit" if child.exitcode is not None and
                      time.monotonic() - started > limit else "its process ended without an answer")
            finish(engine, job.id, "cancelled" if cancelled else "failed", error=None if cancelled else reason)
            return
    child.join(5)
    if status == "ok":
        finish(engine, job.id, "succeeded", result=payload)
    else:
        finish(engine, job.id, "failed", error=str(payload))


def _run_scenario(spec: dict, data_dir: str | None, answers: multiprocessing.Queue) -> None:
    """In the child process: run the scenario and send back its KPIs and unplaced children, or the error."""
    from scenarios.run import run_scenario
    from scenarios.schema import parse_scenario

    try:
        document = dict(spec)
        if data_dir is not None and document.get("data") != "demo":
            document["data"] = data_dir
        run = run_scenario(parse_scenario(document, Path("scenario.json")))
        unplaced = run.allocation.unplaced.to_dict("records")
        answers.put(("ok", {"kpis": run.kpis, "unplaced": unplaced[:5_000],
                            "allocation": run.allocation.assignments()[["child_id", "provider_id", "travel_minutes"]]
                            .astype({"provider_id": "float"}).fillna(-1).to_dict("records")[:50_000]}))
    except PlacewiseError as error:
        answers.put(("error", str(error)))
    except Exception as error:  # noqa: BLE001 - any failure ends the job as failed, with its kind only
        answers.put(("error", f"internal error ({type(error).__name__})"))
