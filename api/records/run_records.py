"""A run's own words and its owner's changes: the name and label people tell runs apart by (checked: at most 100
characters, no control characters), renaming, cloning (the same scenario run again as a new job) and deleting.

Only the person who submitted a run (or an admin) may change, clone or delete it; others who may see it get 403,
and those who may not see it 404, as for a missing run. A run still queued or running is stopped before it is
deleted (409 until then). Every change is audited a row per council, in the change's own transaction.
"""

import unicodedata

from fastapi import Request
from sqlalchemy import delete, update

from api.platform.jobs import queue as jobs
from api.platform.security.auth import Principal
from api.platform.store.models import Job
from api.records.scenario_jobs import audit_jobs, check_capacity_to_queue, visible_job
from core.errors import Conflict, Forbidden, PlacewiseError

MAX_NAME = 100
NAME_FIELDS = ("name", "label")


def check_run_text(text: str | None, field: str, required: bool = False) -> str | None:
    """A run's name or label as stored (spaces trimmed); ``PlacewiseError`` naming the field where it is empty (and
    required), longer than 100 characters, or holds a control character (a tab, a line break, ...)."""
    words = (text or "").strip()
    if not words:
        if required:
            raise PlacewiseError(f"{field}: enter a {field} for the run", field=field,
                                 hint="for example 'ASD growth 2028'")
        return None
    if len(words) > MAX_NAME:
        raise PlacewiseError(f"{field}: the {field} must be {MAX_NAME} characters or fewer (this one has "
                             f"{len(words)})", field=field, hint="shorten it")
    if any(unicodedata.category(letter).startswith("C") for letter in words):
        raise PlacewiseError(f"{field}: the {field} must not hold tabs, line breaks or other control characters",
                             field=field, hint="type it again on one line")
    return words


def run_name(job: Job) -> str:
    """What people call the run: its name, else its scenario's."""
    return job.name or str((job.spec or {}).get("name", "scenario"))[:MAX_NAME]


def owned_job(request: Request, caller: Principal, job_id: str) -> Job:
    """A run the caller may see and owns (or any, for an admin); 403 for another's."""
    job = visible_job(request, caller, job_id)
    if caller.role != "admin" and job.submitted_by != caller.name:
        raise Forbidden("only the person who ran it (or an admin) may change, copy or delete this run")
    return job


def rename_job(request: Request, caller: Principal, job_id: str, name: str | None, label: str | None,
               keep_label: bool = False) -> Job:
    """Give an owned run a new name (required) and label (empty clears it, unless ``keep_label``), audited."""
    checked_name = check_run_text(name, "name", required=True)
    checked_label = check_run_text(label, "label")
    job = owned_job(request, caller, job_id)
    values = {"name": checked_name} if keep_label else {"name": checked_name, "label": checked_label}
    with request.app.state.sessions.begin() as session:
        session.execute(update(Job).where(Job.id == job.id).values(**values))
        audit_jobs(request, caller, "rename", [(job.id, job.councils)], session)
    return visible_job(request, caller, job.id)


def clone_job(request: Request, caller: Principal, job_id: str, name: str | None = None) -> str:
    """Queue an owned run's scenario again as a new run (named ``name``, else "Copy of ..."), audited as a submit;
    the new run's id."""
    job = owned_job(request, caller, job_id)
    checked = check_run_text(name, "name") or check_run_text(f"Copy of {run_name(job)}"[:MAX_NAME], "name")
    check_capacity_to_queue(request, tuple(job.councils), request.app.state.settings.jobs_per_council)
    with request.app.state.sessions.begin() as session:
        new_id = jobs.submit(request.app.state.engine, dict(job.spec), caller.name, list(job.councils), session,
                             name=checked, label=job.label, description=job.description, kind=job.kind)
        audit_jobs(request, caller, "submit", [(new_id, job.councils)], session)
    return new_id


def delete_job(request: Request, caller: Principal, job_id: str) -> None:
    """Delete an owned run that has ended (409 while it is queued or running: stop it first), audited."""
    job = owned_job(request, caller, job_id)
    if job.status not in jobs.TERMINAL:
        raise Conflict(f"the run is {job.status}; stop it first, then delete it")
    with request.app.state.sessions.begin() as session:
        gone = session.execute(delete(Job).where(Job.id == job.id, Job.status.in_(jobs.TERMINAL))).rowcount
        if gone != 1:
            raise Conflict("the run changed while it was being deleted; try again")
        audit_jobs(request, caller, "delete", [(job.id, job.councils)], session)
