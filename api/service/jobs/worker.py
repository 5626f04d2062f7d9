"""Scenario jobs that are never lost: a leased queue in the store, and the worker that runs them.

A worker claims a job with one conditional UPDATE (a queued job, or a running one whose lease has lapsed), so two
workers never hold the same job on either backend. The scenario runs in a child process under a memory cap
(``PLACEWISE_JOB_MEMORY_GB``, 8 by default) and its time limit; the worker renews the lease every ``HEARTBEAT_S``,
records the child's progress and watches for cancellation every ``POLL_S``. On cancel the child is interrupted:
a solve in progress stops with its best solution, which is kept with the cancelled job; anything else stops at
once, and a child that has not answered within ``CANCEL_GRACE_S`` is terminated. A worker killed outright stops
renewing; once its lease lapses another worker takes the job again, up to ``MAX_ATTEMPTS`` times, after which the
job fails with the reason. Every job ends succeeded, failed or cancelled.
"""

import functools
import multiprocessing
import os
import queue
import signal
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine

from api.service.store.models import Job, sessions
from core.errors import PlacewiseError

HEARTBEAT_S = 1.0
POLL_S = 0.2
CANCEL_GRACE_S = 1.4
OVERRUN_S = 60.0  # beyond the solver's own time limit, for loading data and building candidates
MAX_ATTEMPTS = 3
TERMINAL = ("succeeded", "failed", "cancelled")


def lease_seconds() -> float:
    """How long a claim holds without a heartbeat: PLACEWISE_LEASE_SECONDS, 10 by default."""
    return float(os.environ.get("PLACEWISE_LEASE_SECONDS", "10"))


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
                status="running", worker=worker, lease_until=now + timedelta(seconds=lease_seconds()),
                attempts=Job.attempts + 1)).rowcount
        if taken == 1:
            with sessions(engine)() as session:
                job = session.get(Job, job_id)
            if job is not None and job.attempts > MAX_ATTEMPTS:
                finish(engine, job_id, "failed", error=f"lost {MAX_ATTEMPTS} times (its worker stopped mid-run)")
                continue
            return job
    return None


def cancel(engine: Engine, job_id: str) -> str:
    """Cancel a queued job at once, or ask a running one's worker to stop it; the job's status after the call
    (``cancelling`` while a running job stops)."""
    with sessions(engine).begin() as session:
        if session.execute(update(Job).where(Job.id == job_id, Job.status == "queued").values(
                status="cancelled")).rowcount:
            return "cancelled"
        if session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(
                cancel_requested=True)).rowcount:
            return "cancelling"
        job = session.get(Job, job_id)
        return job.status if job is not None else "missing"


def finish(engine: Engine, job_id: str, status: str, result: dict | None = None, error: str | None = None,
           progress: str | None = None, worker: str | None = None) -> None:
    """End a job; given ``worker``, only while that worker still holds it (a worker whose lease lapsed and whose
    job another took over leaves the ending to the new holder)."""
    held = Job.worker == worker if worker is not None else Job.id == job_id
    with sessions(engine).begin() as session:
        session.execute(update(Job).where(Job.id == job_id, held).values(
            status=status, result=result, error=(error or "")[:500] or None, lease_until=None,
            progress=progress if status != "succeeded" else "finished"))


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


@functools.cache
def _context() -> multiprocessing.context.ForkServerContext:
    """Runs start from a fork server that has imported the engine once (a clean process, without the worker's
    threads or connections), so each job starts in milliseconds instead of importing everything again."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scenarios.run", "scenarios.schema", "matcher.allocation.mip"])
    return context


def memory_cap_bytes() -> int:
    return int(float(os.environ.get("PLACEWISE_JOB_MEMORY_GB", "8")) * 2**30)


class _Watch:
    """The worker's side of one running job: lease, progress and cancellation, written to the store."""

    def __init__(self, engine: Engine, job: Job, worker: str) -> None:
        self.engine, self.job_id, self.worker = engine, job.id, worker
        self.progress: str | None = None
        self.last_beat = 0.0

    def beat(self) -> tuple[bool, bool]:
        """Renew the lease (every HEARTBEAT_S) and read the cancel flag; (still ours, cancel asked)."""
        renew = time.monotonic() - self.last_beat >= HEARTBEAT_S
        with sessions(self.engine).begin() as session:
            current = session.get(Job, self.job_id)
            if current is None or current.worker != self.worker or current.status != "running":
                return False, False
            if renew:
                current.lease_until = datetime.now(UTC) + timedelta(seconds=lease_seconds())
                current.progress = self.progress
                self.last_beat = time.monotonic()
            return True, current.cancel_requested


def _run_one(engine: Engine, job: Job, worker: str, data_dir: Path | None) -> None:
    context = _context()
    answers: multiprocessing.Queue = context.Queue()
    child = context.Process(target=_run_scenario, daemon=True,
                            args=(job.spec, str(data_dir) if data_dir else None, answers, memory_cap_bytes(),
                                  int(os.environ.get("PLACEWISE_MAX_CHILDREN", "50000"))))
    child.start()
    assert child.pid is not None
    limit = float(job.spec.get("solver", {}).get("time_limit_seconds", 120)) + OVERRUN_S
    started, watch = time.monotonic(), _Watch(engine, job, worker)
    stop_sent: float | None = None
    cancelled = False
    while True:
        alive = child.is_alive()  # read before the queue, so an answer sent just before exiting is still seen
        try:
            kind, payload = answers.get(timeout=POLL_S)
        except queue.Empty:
            kind, payload = None, None
        if kind == "progress":
            watch.progress = str(payload)[:200]
        elif kind is not None:
            break
        ours, cancelled = watch.beat()
        if not ours:
            child.terminate()
            return  # the job was taken over or ended elsewhere; whoever holds it finishes it
        over_time = time.monotonic() - started > limit
        if stop_sent is None and (cancelled or over_time) and child.is_alive():
            os.kill(child.pid, signal.SIGINT)  # a solve stops with its best solution, anything else at once
            stop_sent = time.monotonic()
        elif not alive or stop_sent is not None and time.monotonic() - stop_sent > CANCEL_GRACE_S:
            kind = "stopped" if stop_sent is not None else "died"
            break
    child.join(CANCEL_GRACE_S)
    if child.is_alive():
        child.terminate()
    status, result, error = _outcome(kind, payload, stop_sent is not None, cancelled, child.exitcode, limit)
    finish(engine, job.id, status, result, error, progress=watch.progress, worker=worker)


def _outcome(kind: str | None, payload: object, stopped: bool, cancelled: bool, exit_code: int | None,
             limit: float) -> tuple[str, dict | None, str | None]:
    """How a run ended, from the child's last message: (status, result, error)."""
    result = payload if kind == "ok" and isinstance(payload, dict) else None
    if stopped and cancelled:
        return "cancelled", result, "cancelled while running; the result kept is the best found" if result else None
    if stopped:
        return "failed", None, f"over its time limit of {limit:.0f} s"
    if result is not None:
        return "succeeded", result, None
    if kind == "error":
        return "failed", None, str(payload)
    cap = memory_cap_bytes() / 2**30
    return "failed", None, (f"its process ended without an answer (exit code {exit_code}; it may have gone over "
                            f"its memory cap of {cap:g} GiB)")


def _run_scenario(spec: dict, data_dir: str | None, answers: multiprocessing.Queue, memory_cap: int,
                  max_children: int) -> None:
    """In the child process: run the scenario under the memory cap and send back its progress, then its KPIs,
    allocation and unplaced children, or the error. SIGINT stops a solve with its best solution."""
    import ctypes
    import resource

    # PR_SET_PDEATHSIG: die with the fork server, which ends when its worker is killed outright
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    answers.put(("progress", "loading the register and building the cohort"))  # starts the queue's thread first
    resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))
    try:
        from matcher.allocation import mip
        from scenarios.run import run_scenario
        from scenarios.schema import parse_scenario

        mip.allow_interrupts()
        signal.signal(signal.SIGINT, _interrupt)
        document = dict(spec)
        if data_dir is not None and document.get("data") != "demo":
            document["data"] = data_dir
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if time.monotonic() - last[0] > 0.5 or done == total:
                last[0] = time.monotonic()
                answers.put(("progress", f"{stage}: {done:,} of {total:,} children"))

        run = run_scenario(parse_scenario(document, Path("scenario.json")), progress, max_children)
        answers.put(("progress", "solved; sending the results"))
        unplaced = run.allocation.unplaced.to_dict("records")
        answers.put(("ok", {"kpis": run.kpis, "unplaced": unplaced[:5_000],
                            "allocation": run.allocation.assignments()[["child_id", "provider_id", "travel_minutes"]]
                            .astype({"provider_id": "float"}).fillna(-1).to_dict("records")[:50_000]}))
    except KeyboardInterrupt:
        answers.put(("cancelled", None))
    except MemoryError:
        answers.put(("error", f"over its memory cap of {memory_cap / 2**30:g} GiB; run fewer councils or "
                              "children"))
    except PlacewiseError as error:
        answers.put(("error", str(error)))
    except Exception as error:  # noqa: BLE001 - any failure ends the job as failed, with its kind only
        answers.put(("error", f"internal error ({type(error).__name__})"))


def _interrupt(_signal: int, _frame: object) -> None:
    from matcher.allocation import mip

    if not mip.interrupt_solves():
        raise KeyboardInterrupt
