"""Scenario jobs for a caller: submit a scenario document, find a job the caller may see, compare two runs, all
audited a row per council named. The API's ``/v1/scenarios`` routes and the commissioner's pages both come here.

A job belongs to the councils its scenario names: only callers who act for all of them (or an admin) see it; any
other answer is 404, as for a missing job. Caps (settings): ``max_providers`` a scenario and ``jobs_per_council``
jobs queued or running that name any one council (429 beyond). A scenario that caps prices (``cap_prices``) is
capped at the deployment's price bands (the ``packages`` setting, else the shipped ILLUSTRATIVE bands): a scenario
sent to the service names no file of its own.
"""

from pathlib import Path

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from api.platform.jobs import queue as jobs
from api.platform.security.audit import audit_many
from api.platform.security.auth import Principal
from api.platform.store.models import Job
from api.records.child_records import with_stored_children
from api.records.register import RegisterView
from api.settings import Settings
from core.errors import Busy, Conflict, Forbidden, NotFound, PlacewiseError
from scenarios.kpis import compare_kpis
from scenarios.packages_config import ILLUSTRATIVE
from scenarios.provider_pool import scenario_providers
from scenarios.schema import Scenario, parse_scenario

ID_LENGTH = 36
#: What a list shows of each job; the spec and results stay unread.
SUMMARY_COLUMNS = (Job.id, Job.status, Job.councils, Job.submitted_by, Job.created_at, Job.updated_at, Job.name,
                   Job.label, Job.description, Job.kind)
MAX_RUN_NAME = 100


def visible_job(request: Request, caller: Principal, job_id: str) -> Job:
    """The job, where the caller acts for every council it names; 404 otherwise, as for a missing one."""
    with request.app.state.sessions() as session:
        job = session.get(Job, job_id[:ID_LENGTH])
    if job is None or not all(caller.may_see(council) for council in job.councils):
        raise NotFound("no such scenario job")
    return job


def visible_jobs(request: Request, caller: Principal) -> list[Job]:
    """The caller's councils' jobs, newest first (their spec and results unread)."""
    with request.app.state.sessions() as session:
        found = session.scalars(select(Job).options(load_only(*SUMMARY_COLUMNS))
                                .order_by(Job.created_at.desc(), Job.id)).all()
    return [job for job in found if all(caller.may_see(council) for council in job.councils)]


def check_capacity_to_queue(request: Request, councils: tuple[str, ...], limit: int) -> None:
    """429 where any council named already has its share of jobs queued or running."""
    with request.app.state.sessions() as session:
        active = session.scalars(select(Job.councils).where(Job.status.in_(("queued", "running")))).all()
    for council in councils:
        waiting = sum(council in named for named in active)
        if waiting >= limit:
            raise Busy(f"councils: {council} has {waiting} scenario jobs queued or running (at most "
                       f"{limit}); wait for one to end", retry_after_s=30)


def checked_scenario(document: dict, view: RegisterView) -> Scenario:
    """A scenario document as the service runs it (no files: the whole scenario, a synthetic cohort); a clear
    422 where it names a file."""
    for field in ("base", "roads", "packages", "settings", "transport_costs"):
        if document.get(field) is not None:
            raise PlacewiseError(f"{field}: not accepted through the service; give the whole scenario", field=field)
    cohort: dict = document["cohort"] if isinstance(document.get("cohort"), dict) else {}
    plan: dict = document["plan"] if isinstance(document.get("plan"), dict) else {}
    if cohort.get("csv") is not None or plan.get("candidate_sites") is not None:
        raise PlacewiseError("cohort.csv, plan.candidate_sites: files are not read through the service; use a "
                             "synthetic cohort, or stored: true for your councils' stored children",
                             field="cohort.csv" if cohort.get("csv") is not None else "plan.candidate_sites")
    document["data"] = "demo" if view.inputs.data_dir is None else "server"
    bands = {"packages": str(ILLUSTRATIVE)} if caps_prices(document) else {}  # the deployment's, given when queued
    return parse_scenario({**document, "data": "demo", **bands}, Path("scenario"))


def caps_prices(document: dict) -> bool:
    """Whether a scenario document caps prices at their bands (a ``cap_prices`` delta)."""
    return any(isinstance(delta, dict) and delta.get("cap_prices") for delta in document.get("deltas") or [])


def submit_document(request: Request, caller: Principal, settings: Settings, view: RegisterView,
                    document: dict, name: str | None = None, label: str | None = None) -> str:
    """Queue a scenario for the councils it names (403 for a council the caller does not act for), audited; its
    job id. The run is called ``name`` (checked by the caller), else by its scenario's name, and keeps the
    scenario's description. A cohort of ``stored: true`` is the councils' stored children (an SEN2 return's, with
    their settings today), read and audited here and queued with the job."""
    document = with_stored_children(request, caller, document)
    scenario = checked_scenario(document, view)
    if not all(caller.may_see(council) for council in scenario.councils):
        raise Forbidden("councils: the scenario names councils you do not act for")
    if len(scenario.councils) > settings.max_councils and caller.role != "admin":
        raise Forbidden(f"councils: a job naming more than {settings.max_councils} councils is a national "
                        "job, which only an admin may submit")
    providers = scenario_providers(scenario, view.inputs)
    if len(providers) > (most := settings.max_providers):
        raise PlacewiseError(f"providers: the scenario takes {len(providers):,} providers; the service runs at "
                             f"most {most:,} (use providers: sub_region or fewer councils)")
    check_capacity_to_queue(request, scenario.councils, settings.jobs_per_council)
    if caps_prices(document):  # prices are capped at the deployment's own bands (the shipped ILLUSTRATIVE ones)
        document = {**document, "packages": str(settings.packages or ILLUSTRATIVE)}
    with request.app.state.sessions.begin() as session:  # the job and its audit rows, together or not at all
        job_id = jobs.submit(request.app.state.engine, document, caller.name, list(scenario.councils), session,
                             name=name or scenario.name[:MAX_RUN_NAME], label=label,
                             description=scenario.description.strip() or None)
        audit_jobs(request, caller, "submit", [(job_id, list(scenario.councils))], session)
    return job_id


def cancel_job(request: Request, caller: Principal, job: Job) -> str:
    """Cancel a job the caller may see (a queued one at once, a running one within seconds), audited in the same
    transaction; its status after the call."""
    with request.app.state.sessions.begin() as session:
        status = jobs.cancel(request.app.state.engine, job.id, session)
        audit_jobs(request, caller, "cancel", [(job.id, job.councils)], session)
    return status


def job_with_results(request: Request, caller: Principal, job_id: str, action: str = "export") -> Job:
    """A visible job that has ended with results (409 before), audited as ``action``."""
    job = visible_job(request, caller, job_id)
    if not job.result or job.status not in jobs.WITH_RESULTS:
        raise Conflict(f"the job is {job.status}; results come once it has ended with them")
    audit_jobs(request, caller, action, [(job.id, job.councils)])
    return job


def compared_jobs(request: Request, caller: Principal, first: str, second: str) -> tuple[Job, Job, list[dict]]:
    """Two succeeded runs the caller may see and their headline KPIs side by side (second minus first)."""
    runs = [visible_job(request, caller, job_id) for job_id in (first, second)]
    unfinished = [job.id for job in runs if job.status != "succeeded" or not job.result]
    if unfinished:
        raise Conflict(f"{', '.join(unfinished)}: not succeeded yet; compare runs that have ended")
    audit_jobs(request, caller, "compare", [(job.id, job.councils) for job in runs])
    kpis = [job.result["kpis"] for job in runs if job.result]
    rows = [{"kpi": name, "first": kpis[0][name], "second": kpis[1][name], "difference": kpis[1][name] -
             kpis[0][name], "shown": [shown_first, shown_second, shown_difference]}
            for name, shown_first, shown_second, shown_difference in compare_kpis(*kpis)]
    return runs[0], runs[1], rows


def audit_jobs(request: Request, caller: Principal, action: str, jobs_and_councils: list,
               session: Session | None = None) -> None:
    """One audit row per job and council it names, so each council's export shows every access to its runs (in a
    write's transaction where ``session`` is given)."""
    audit_many(request, caller, action, "scenario", [(job_id, council) for job_id, councils in jobs_and_councils
                                                     for council in councils], session=session)


def summary(job: Job) -> dict:
    return {"job_id": job.id, "name": job.name, "kind": job.kind or "scenario",
            "label": job.label, "description": job.description,
            "status": job.status, "councils": job.councils, "submitted_by": job.submitted_by,
            "created_at": job.created_at.isoformat(), "updated_at": job.updated_at.isoformat()}
