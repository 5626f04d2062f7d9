"""The leased queue of scenario jobs in the store: submit, claim, cancel and finish.

A worker claims a job with one conditional UPDATE (a queued job, or a running one whose lease has lapsed), so two
workers never hold the same job on either backend. A job lost ``MAX_ATTEMPTS`` times (its worker stopped mid-run
each time) fails with the reason. Every job ends in one of ``TERMINAL``: ``succeeded`` (children placed, results
kept), ``no_solution`` (the run ended but the solver found no allocation within its limits, or placed nobody: the
KPIs and the unplaced with their reasons are kept, and ``error`` says why), ``failed`` (with the reason) or
``cancelled``. Results are made JSON-safe (no NaN or infinity) before they are stored.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from api.platform.json_safe import json_safe
from api.platform.store.engine import sessions
from api.platform.store.models import Job

JobStatus = Literal["queued", "running", "succeeded", "no_solution", "failed", "cancelled"]
JOB_STATUSES: tuple[str, ...] = get_args(JobStatus)
TERMINAL: tuple[str, ...] = ("succeeded", "no_solution", "failed", "cancelled")
#: Ended with results to read: the allocation (or why each child is unplaced) and the KPIs.
WITH_RESULTS: tuple[str, ...] = ("succeeded", "no_solution", "cancelled")
MAX_ATTEMPTS = 3


def submit(engine: Engine, spec: dict, submitted_by: str, councils: list[str], session: Session | None = None,
           name: str | None = None, label: str | None = None, description: str | None = None,
           kind: str | None = None) -> str:
    """Queue a scenario (its validated document) for the councils it names, in the caller's transaction where
    ``session`` is given, with the run's name and label (checked by the caller) and the scenario's description;
    the job's id."""
    job_id = str(uuid.uuid4())
    with _transaction(engine, session) as held:
        held.add(Job(id=job_id, submitted_by=submitted_by, councils=councils, spec=spec, status="queued",
                     name=name, label=label, description=description, kind=kind))
    return job_id


@contextmanager
def _transaction(engine: Engine, session: Session | None) -> Iterator:
    """The caller's transaction where given (it commits), else one of our own."""
    if session is not None:
        yield session
    else:
        with sessions(engine).begin() as own:
            yield own


def claim(engine: Engine, worker: str, lease_seconds: float) -> Job | None:
    """Take the oldest job that is queued or whose lease has lapsed; None when there is none."""
    now = datetime.now(UTC)
    lapsed = or_(Job.status == "queued", (Job.status == "running") & (Job.lease_until < now))
    with sessions(engine)() as session:
        candidates = session.scalars(select(Job.id).where(lapsed).order_by(Job.created_at).limit(5)).all()
    for job_id in candidates:
        with sessions(engine).begin() as session:
            taken = session.execute(update(Job).where(Job.id == job_id, lapsed).values(
                status="running", worker=worker, lease_until=now + timedelta(seconds=lease_seconds),
                attempts=Job.attempts + 1)).rowcount
        if taken == 1:
            with sessions(engine)() as session:
                job = session.get(Job, job_id)
            if job is not None and job.attempts > MAX_ATTEMPTS:
                finish(engine, job_id, "failed", error=f"lost {MAX_ATTEMPTS} times (its worker stopped mid-run)")
                continue
            return job
    return None


def cancel(engine: Engine, job_id: str, session: Session | None = None) -> str:
    """Cancel a queued job at once, or ask a running one's worker to stop it (in the caller's transaction where
    ``session`` is given); the job's status after the call (``cancelling`` while a running job stops)."""
    with _transaction(engine, session) as held:
        if held.execute(update(Job).where(Job.id == job_id, Job.status == "queued").values(
                status="cancelled")).rowcount:
            return "cancelled"
        if held.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(
                cancel_requested=True)).rowcount:
            return "cancelling"
        job = held.get(Job, job_id)
        return job.status if job is not None else "missing"


def finish(engine: Engine, job_id: str, status: JobStatus, result: dict | None = None, error: str | None = None,
           progress: str | None = None, worker: str | None = None) -> None:
    """End a job; given ``worker``, only while that worker still holds it (a worker whose lease lapsed and whose
    job another took over leaves the ending to the new holder). The result is stored JSON-safe."""
    held = Job.worker == worker if worker is not None else Job.id == job_id
    result = json_safe(result)  # type: ignore[assignment]
    with sessions(engine).begin() as session:
        session.execute(update(Job).where(Job.id == job_id, held).values(
            status=status, result=result, error=(error or "")[:500] or None, lease_until=None,
            progress=progress if status != "succeeded" else "finished"))
