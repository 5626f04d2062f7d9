"""The worker that runs scenario jobs from the queue, each in its own process, and keeps the store told.

The worker renews its job's lease every ``HEARTBEAT_S``, records the child's progress and watches for
cancellation every ``POLL_S``. On cancel the child is interrupted (``runner``): a solve in progress stops with its
best solution, which is kept with the cancelled job; a child that has not answered within ``CANCEL_GRACE_S`` is
terminated. A worker killed outright stops renewing; once its lease lapses another worker takes the job again
(``queue.claim``). No one job stops a worker: a result the store refuses fails that job with the reason, any other
error in running it fails it too, and a store that does not answer is waited for.

A store that stops answering mid-run (a cut connection is replaced at once: the engine checks connections before
use) is not the job's fault: the worker keeps the job running while its lease would still hold, and once that has
passed without the store, it stops the job's process (so it never runs on unwatched, holding its memory) and leaves
the job to be run again, by itself or another worker, when the store is back; the job is never failed for it. The
job's process is stopped whenever the worker leaves it, however it leaves it.
"""

import logging
import multiprocessing
import os
import queue
import signal
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.platform.jobs.queue import JobStatus, claim, finish
from api.platform.jobs.runner import JobLimits, job_context, job_seconds, run_job
from api.platform.store.engine import sessions
from api.platform.store.models import Job
from api.platform.store.vacancy_reports import stored_reports
from api.settings import Settings

HEARTBEAT_S = 1.0
POLL_S = 0.1
CANCEL_GRACE_S = 1.0
OVERRUN_S = 60.0  # beyond the job's own time limit (which it keeps), for its checker and report, before SIGINT
NO_SOLUTION = ("infeasible", "no_solution_within_limit")  # solver statuses that found no allocation
#: Failures of the store itself (not answering, connection lost), as against a result it refuses.
STORE_LOST = (OperationalError, InterfaceError, PoolTimeout)
log = logging.getLogger(__name__)


class StoreLost(Exception):
    """The store did not answer for longer than the job's lease: the job was let go, to be run again."""


def run_worker(engine: Engine, settings: Settings, name: str | None = None, once: bool = False,
               idle_s: float = 0.5) -> int:
    """Claim and run jobs until stopped (or, with ``once``, until the queue is empty); returns the jobs run."""
    worker = name or f"worker-{uuid.uuid4().hex[:8]}"
    done = 0
    while True:
        try:
            job = claim(engine, worker, settings.lease_seconds)
        except SQLAlchemyError as error:  # the store is not answering: wait for it, never stop
            log.warning("%s: the store did not answer (%s); trying again", worker, type(error).__name__)
            time.sleep(max(idle_s, 1.0))
            continue
        if job is None:
            if once:
                return done
            time.sleep(idle_s)
            continue
        try:
            _run_one(engine, job, worker, settings)
        except StoreLost:  # not the job's fault: it is run again once the store is back (its lease has lapsed)
            log.warning("%s: the store stopped answering during job %s; it will be run again", worker, job.id)
        except Exception as error:  # noqa: BLE001 - one job's failure never stops the worker
            log.warning("%s: job %s failed (%s); going on", worker, job.id, type(error).__name__)
            _fail_quietly(engine, job.id, worker, f"the worker failed while running it ({type(error).__name__})")
        done += 1


def job_limits(settings: Settings) -> JobLimits:
    return JobLimits(int(settings.job_memory_gb * 2**30), settings.max_children, str(settings.cache),
                     settings.vacancy_max_age_days)


class _Watch:
    """The worker's side of one running job: lease, progress and cancellation, written to the store."""

    def __init__(self, engine: Engine, job: Job, worker: str, lease_seconds: float) -> None:
        self.engine, self.job_id, self.worker, self.lease_seconds = engine, job.id, worker, lease_seconds
        self.progress: str | None = None
        self.last_beat = 0.0
        self.last_answer = time.monotonic()  # when the store last answered
        self.cancelled = False

    def beat_or_wait(self) -> tuple[bool, bool]:
        """``beat``, riding out a store that does not answer while the lease would still hold (the answer as of
        the last beat meanwhile); ``StoreLost`` once it has not answered for longer."""
        try:
            ours, self.cancelled = self.beat()
        except STORE_LOST:
            if time.monotonic() - self.last_answer > self.lease_seconds:
                raise StoreLost from None
            return True, self.cancelled
        self.last_answer = time.monotonic()
        return ours, self.cancelled

    def beat(self) -> tuple[bool, bool]:
        """Renew the lease (every HEARTBEAT_S) and read the cancel flag; (still ours, cancel asked)."""
        renew = time.monotonic() - self.last_beat >= HEARTBEAT_S
        with sessions(self.engine).begin() as session:
            current = session.get(Job, self.job_id)
            if current is None or current.worker != self.worker or current.status != "running":
                return False, False
            if renew:
                current.lease_until = datetime.now(UTC) + timedelta(seconds=self.lease_seconds)
                current.progress = self.progress
                self.last_beat = time.monotonic()
            return True, current.cancel_requested


def _run_one(engine: Engine, job: Job, worker: str, settings: Settings) -> None:
    context = job_context()
    answers: multiprocessing.Queue = context.Queue()
    limits = job_limits(settings)
    data_dir: Path | None = settings.data
    reports = list(stored_reports(engine).itertuples(index=False, name=None))  # as the store holds them now
    child = context.Process(target=run_job, daemon=True,
                            args=(job.spec, str(data_dir) if data_dir else None, answers, limits, reports))
    child.start()
    assert child.pid is not None
    limit = job_seconds(job.spec) + OVERRUN_S
    watch = _Watch(engine, job, worker, settings.lease_seconds)
    try:
        ended = _watch_run(child, answers, watch, limit)
    finally:  # however the worker leaves the job (an answer, the store lost, any error), its process goes
        if child.is_alive():
            child.kill()
        child.join(CANCEL_GRACE_S)
    if ended is None:
        return  # the job was taken over or ended elsewhere; whoever holds it finishes it
    kind, payload, stopped, cancelled = ended
    status, result, error = _outcome(kind, payload, stopped, cancelled, child.exitcode, limit,
                                    limits.memory_cap_bytes)
    try:
        _finish_or_wait(watch, status, result, error)
    except StoreLost:
        raise
    except Exception as failure:  # noqa: BLE001 - a result the store refuses fails its job, not the worker
        log.warning("%s: job %s: its result could not be stored (%s)", worker, job.id, type(failure).__name__)
        _fail_quietly(engine, job.id, worker, f"its result could not be stored ({type(failure).__name__}); "
                                              "tell the service's operators")


def _watch_run(child, answers: multiprocessing.Queue, watch: _Watch,  # type: ignore[no-untyped-def]
               limit: float) -> tuple[str | None, object, bool, bool] | None:
    """Follow the job's process until it answers, dies or is stopped: (last message's kind, its payload, whether
    it was stopped, whether cancel was asked); None where the job is no longer this worker's."""
    started = time.monotonic()
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
            return kind, payload, stop_sent is not None, cancelled
        ours, cancelled = watch.beat_or_wait()
        if not ours:
            return None
        over_time = time.monotonic() - started > limit
        if stop_sent is None and (cancelled or over_time) and child.is_alive():
            os.kill(child.pid, signal.SIGINT)  # a solve stops with its best solution, anything else at once
            stop_sent = time.monotonic()
        elif not alive and kind is None or stop_sent is not None and time.monotonic() - stop_sent > CANCEL_GRACE_S:
            # ended and every message read (a job that ends at once may leave its progress and answer queued)
            return ("stopped" if stop_sent is not None else "died"), None, stop_sent is not None, cancelled


def _finish_or_wait(watch: _Watch, status: JobStatus, result: dict | None, error: str | None) -> None:
    """Store how the job ended, waiting for a store that does not answer while the lease would hold (``StoreLost``
    after: the job is run again rather than its ending lost or failed)."""
    while True:
        try:
            finish(watch.engine, watch.job_id, status, result, error, progress=watch.progress, worker=watch.worker)
            return
        except STORE_LOST:
            if time.monotonic() - watch.last_answer > watch.lease_seconds:
                raise StoreLost from None
            time.sleep(POLL_S * 5)


def _fail_quietly(engine: Engine, job_id: str, worker: str, reason: str) -> None:
    """Fail a job with its reason; where the store will not take even that, the lease lapses and the job is tried
    again (at most ``MAX_ATTEMPTS`` times)."""
    try:
        finish(engine, job_id, "failed", error=reason, worker=worker)
    except Exception as error:  # noqa: BLE001
        log.warning("job %s: could not be marked failed (%s)", job_id, type(error).__name__)


def _outcome(kind: str | None, payload: object, stopped: bool, cancelled: bool, exit_code: int | None,
             limit: float, memory_cap: int) -> tuple[JobStatus, dict | None, str | None]:
    """How a run ended, from the child's last message: (status, result, error)."""
    result = payload if kind == "ok" and isinstance(payload, dict) else None
    if stopped and cancelled:
        return "cancelled", result, "cancelled while running; the result kept is the best found" if result else None
    if stopped:
        return "failed", None, f"over its time limit of {limit:.0f} s"
    if kind == "no_solution":  # its time limit ran out before any solving
        return "no_solution", None, f"no solution: {payload}"
    if result is not None and ("decomposition" in result or "plan" in result):  # no allocation of their own
        return "succeeded", result, None
    if result is not None:
        kpis = result.get("kpis", {})
        solver = kpis.get("solver", {}).get("status")
        if solver in NO_SOLUTION or not kpis.get("placed"):
            return "no_solution", result, (f"no solution: the solver ended {solver} and placed {kpis.get('placed', 0)} "
                                           f"of {kpis.get('children', 0)} children; give it more time "
                                           "(solver.time_limit_seconds) or relax the policy")
        return "succeeded", result, None
    if kind == "error":
        return "failed", None, str(payload)
    cap = memory_cap / 2**30
    return "failed", None, (f"its process ended without an answer (exit code {exit_code}; it may have gone over "
                            f"its memory cap of {cap:g} GiB)")
