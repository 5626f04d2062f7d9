"""Scenario runs as jobs: submit (JSON or YAML, the scenario files' schema), list, read with progress, results,
cancel, and compare two runs. A job belongs to the councils its scenario names: only callers who act for all of
them (or an admin) see it; any other answer is 404, as for a missing job.

Caps (settings): ``max_providers`` and ``max_children`` a scenario, ``jobs_per_council`` jobs queued or running
that name any one council (429 beyond), and the scenario's own ``solver.time_limit_seconds`` (at most an hour).
"""

from pathlib import Path

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import load_only

from api.service.dependencies import BodyDep, RegisterDep, SettingsDep
from api.service.documents import scenario_document
from api.service.jobs import queue as jobs
from api.service.schemas.common import Limit, Offset, links, problems
from api.service.security.audit import audit_many
from api.service.security.auth import Principal, ScenarioRole
from api.service.store.models import Job
from core.errors import PlacewiseError
from scenarios.kpis import compare_kpis
from scenarios.provider_pool import scenario_providers
from scenarios.schema import parse_scenario

router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))
ID_LENGTH = 36
JOB_LINKS = links(202, "The job is queued", "job_id", {
    "ReadJob": "read_scenario_v1_scenarios__job_id__get",
    "JobResults": "scenario_results_v1_scenarios__job_id__results_get",
    "CancelJob": "cancel_scenario_v1_scenarios__job_id__cancel_post"})
#: What a list shows of each job; the spec and results stay unread.
SUMMARY_COLUMNS = (Job.id, Job.status, Job.councils, Job.submitted_by, Job.created_at, Job.updated_at)


def _visible_job(request: Request, caller: Principal, job_id: str) -> Job:
    with request.app.state.sessions() as session:
        job = session.get(Job, job_id[:ID_LENGTH])
    if job is None or not all(caller.may_see(council) for council in job.councils):
        raise HTTPException(404, "no such scenario job")
    return job


def _check_capacity_to_queue(request: Request, councils: tuple[str, ...], limit: int) -> None:
    """429 where any council named already has its share of jobs queued or running."""
    with request.app.state.sessions() as session:
        active = session.scalars(select(Job.councils).where(Job.status.in_(("queued", "running")))).all()
    for council in councils:
        waiting = sum(council in named for named in active)
        if waiting >= limit:
            raise HTTPException(429, f"councils: {council} has {waiting} scenario jobs queued or running (at most "
                                     f"{limit}); wait for one to end", headers={"Retry-After": "30"})


@router.post("", status_code=202, responses=JOB_LINKS, openapi_extra={"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "description": "A scenario, as in scenarios/library"}},
    "application/yaml": {"schema": {"type": "string", "maxLength": 200_000}}}}})
def submit_scenario(body: BodyDep, request: Request, caller: ScenarioRole, settings: SettingsDep,
                    register: RegisterDep) -> dict:
    """A scenario (JSON, or YAML with ``content-type: application/yaml``) as a job; its id to follow it. Parsed
    and checked in a worker thread, off the event loop."""
    document = scenario_document(body, request.headers.get("content-type", ""))
    for field in ("base", "roads", "packages"):
        if document.get(field) is not None:
            raise HTTPException(422, f"{field}: not accepted through the API; give the whole scenario")
    cohort: dict = document["cohort"] if isinstance(document.get("cohort"), dict) else {}
    plan: dict = document["plan"] if isinstance(document.get("plan"), dict) else {}
    if cohort.get("csv") is not None or plan.get("candidate_sites") is not None:
        raise HTTPException(422, "cohort.csv, plan.candidate_sites: files are not read through the API; use "
                                 "a synthetic cohort")
    document["data"] = "demo" if register.inputs.data_dir is None else "server"
    scenario = parse_scenario({**document, "data": "demo"}, Path("scenario"))
    if not all(caller.may_see(council) for council in scenario.councils):
        raise HTTPException(403, "councils: the scenario names councils you do not act for")
    if len(scenario.councils) > settings.max_councils and caller.role != "admin":
        raise HTTPException(403, f"councils: a job naming more than {settings.max_councils} councils is a national "
                                 "job, which only an admin may submit")
    providers = scenario_providers(scenario, register.inputs)
    if len(providers) > (most := settings.max_providers):
        raise PlacewiseError(f"providers: the scenario takes {len(providers):,} providers; the service runs at "
                             f"most {most:,} (use providers: sub_region or fewer councils)")
    _check_capacity_to_queue(request, scenario.councils, settings.jobs_per_council)
    job_id = jobs.submit(request.app.state.engine, document, caller.name, list(scenario.councils))
    _audit_jobs(request, caller, "submit", [(job_id, list(scenario.councils))])
    return {"job_id": job_id, "status": "queued"}


@router.get("")
def list_scenarios(request: Request, caller: ScenarioRole,
                   limit: Limit = 100, offset: Offset = 0) -> list[dict]:
    """The caller's councils' scenario jobs, newest first."""
    with request.app.state.sessions() as session:
        found = session.scalars(select(Job).options(load_only(*SUMMARY_COLUMNS))
                                .order_by(Job.created_at.desc(), Job.id)).all()
    visible = [job for job in found if all(caller.may_see(council) for council in job.councils)]
    page = visible[offset:offset + limit]
    _audit_jobs(request, caller, "list", [(job.id, job.councils) for job in page] or [(None, [None])])
    return [_summary(job) for job in page]


@router.get("/compare")
def compare_scenarios(request: Request, caller: ScenarioRole, first: str = Query(max_length=ID_LENGTH),
                      second: str = Query(max_length=ID_LENGTH)) -> dict:
    """Two succeeded runs' headline KPIs side by side, with the differences (second minus first)."""
    runs = [_visible_job(request, caller, job_id) for job_id in (first, second)]
    unfinished = [job.id for job in runs if job.status != "succeeded" or not job.result]
    if unfinished:
        raise HTTPException(409, f"{', '.join(unfinished)}: not succeeded yet; compare runs that have ended")
    _audit_jobs(request, caller, "compare", [(job.id, job.councils) for job in runs])
    kpis = [job.result["kpis"] for job in runs if job.result]
    rows = [{"kpi": name, "first": kpis[0][name], "second": kpis[1][name], "difference": kpis[1][name] -
             kpis[0][name], "shown": [shown_first, shown_second, shown_difference]}
            for name, shown_first, shown_second, shown_difference in compare_kpis(*kpis)]
    return {"first": first, "second": second, "kpis": rows}


@router.get("/{job_id}")
def read_scenario(job_id: str, request: Request, caller: ScenarioRole) -> dict:
    """Status, progress, attempts and, once it has succeeded, the KPIs."""
    job = _visible_job(request, caller, job_id)
    _audit_jobs(request, caller, "read", [(job.id, job.councils)])
    return {**_summary(job), "attempts": job.attempts, "progress": job.progress, "error": job.error,
            "kpis": (job.result or {}).get("kpis")}


@router.get("/{job_id}/results")
def scenario_results(job_id: str, request: Request, caller: ScenarioRole) -> dict:
    """The allocation (child id, provider, minutes) and the unplaced children with their reasons: an export."""
    job = _visible_job(request, caller, job_id)
    if not job.result or job.status not in jobs.WITH_RESULTS:
        raise HTTPException(409, f"the job is {job.status}; results come once it has ended with them")
    _audit_jobs(request, caller, "export", [(job.id, job.councils)])
    return {"job_id": job.id, "status": job.status, **job.result}


@router.post("/{job_id}/cancel")
def cancel_scenario(job_id: str, request: Request, caller: ScenarioRole) -> dict:
    """Stop a job: a queued one at once; a running one within two seconds, keeping the best solution found."""
    job = _visible_job(request, caller, job_id)
    status = jobs.cancel(request.app.state.engine, job.id)
    _audit_jobs(request, caller, "cancel", [(job.id, job.councils)])
    return {"job_id": job.id, "status": status}


def _audit_jobs(request: Request, caller: Principal, action: str, jobs_and_councils: list) -> None:
    """One audit row per job and council it names, so each council's export shows every access to its runs."""
    audit_many(request, caller, action, "scenario", [(job_id, council) for job_id, councils in jobs_and_councils
                                                     for council in councils])


def _summary(job: Job) -> dict:
    return {"job_id": job.id, "status": job.status, "councils": job.councils, "submitted_by": job.submitted_by,
            "created_at": job.created_at.isoformat(), "updated_at": job.updated_at.isoformat()}
