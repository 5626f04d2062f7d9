"""Scenario runs as jobs: submit (JSON or YAML, the scenario files' schema), list, read with progress, results,
cancel, and compare two runs. A job belongs to the councils its scenario names: only callers who act for all of
them (or an admin) see it; any other answer is 404, as for a missing job (``api.records.scenario_jobs``).

Caps (settings): ``max_providers`` and ``max_children`` a scenario, ``jobs_per_council`` jobs queued or running
that name any one council (429 beyond), and the scenario's own ``solver.time_limit_seconds`` (at most an hour).
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.platform.parameters import Limit, Offset
from api.platform.security.auth import ScenarioRole
from api.records.documents import scenario_document
from api.records.run_records import check_run_text
from api.records.scenario_jobs import (
    ID_LENGTH,
    audit_jobs,
    cancel_job,
    compared_jobs,
    job_with_results,
    submit_document,
    summary,
    visible_job,
    visible_jobs,
)
from api.service.dependencies import BodyDep, RegisterDep, SettingsDep
from api.service.schemas.common import links, problems
from api.service.schemas.scenarios import JobQueued, RunComparison, RunResults, RunState, RunSummary

RunText = Annotated[str | None, Query(max_length=1_000, description="At most 100 characters, no control characters")]
router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))
JOB_LINKS = links(202, "The job is queued", "job_id", {
    "ReadJob": "read_scenario_v1_scenarios__job_id__get",
    "JobResults": "scenario_results_v1_scenarios__job_id__results_get",
    "CancelJob": "cancel_scenario_v1_scenarios__job_id__cancel_post"})


@router.post("", status_code=202, response_model=JobQueued, responses=JOB_LINKS, openapi_extra={"requestBody": {
    "required": True, "content": {
        "application/json": {"schema": {"type": "object", "description": "A scenario, as in scenarios/library"}},
        "application/yaml": {"schema": {"type": "string", "maxLength": 200_000}}}}})
def submit_scenario(body: BodyDep, request: Request, caller: ScenarioRole, settings: SettingsDep,
                    register: RegisterDep, name: RunText = None, label: RunText = None) -> dict:
    """A scenario (JSON, or YAML with ``content-type: application/yaml``) as a job; its id to follow it. The run
    is called ``name`` (else its scenario's name), with an optional ``label``. Parsed and checked in a worker
    thread, off the event loop."""
    run_name, run_label = check_run_text(name, "name"), check_run_text(label, "label")
    document = scenario_document(body, request.headers.get("content-type", ""))
    return {"job_id": submit_document(request, caller, settings, register, document, run_name, run_label),
            "status": "queued"}


@router.get("", response_model=list[RunSummary])
def list_scenarios(request: Request, caller: ScenarioRole,
                   limit: Limit = 100, offset: Offset = 0) -> list[dict]:
    """The caller's councils' scenario jobs, newest first."""
    page = visible_jobs(request, caller)[offset:offset + limit]
    audit_jobs(request, caller, "list", [(job.id, job.councils) for job in page] or [(None, [None])])
    return [summary(job) for job in page]


@router.get("/compare", response_model=RunComparison)
def compare_scenarios(request: Request, caller: ScenarioRole, first: str = Query(max_length=ID_LENGTH),
                      second: str = Query(max_length=ID_LENGTH)) -> dict:
    """Two succeeded runs' headline KPIs side by side, with the differences (second minus first)."""
    _, _, rows = compared_jobs(request, caller, first, second)
    return {"first": first, "second": second, "kpis": rows}


@router.get("/{job_id}", response_model=RunState)
def read_scenario(job_id: str, request: Request, caller: ScenarioRole) -> dict:
    """Status, progress, attempts and, once it has succeeded, the KPIs."""
    job = visible_job(request, caller, job_id)
    audit_jobs(request, caller, "read", [(job.id, job.councils)])
    return {**summary(job), "attempts": job.attempts, "progress": job.progress, "error": job.error,
            "kpis": (job.result or {}).get("kpis")}


@router.get("/{job_id}/results", response_model=RunResults, response_model_exclude_unset=True)
def scenario_results(job_id: str, request: Request, caller: ScenarioRole) -> dict:
    """The allocation (child id, provider, minutes) and the unplaced children with their reasons: an export."""
    job = job_with_results(request, caller, job_id)
    return {"job_id": job.id, "status": job.status, **(job.result or {})}


@router.post("/{job_id}/cancel", response_model=JobQueued)
def cancel_scenario(job_id: str, request: Request, caller: ScenarioRole) -> dict:
    """Stop a job: a queued one at once; a running one within two seconds, keeping the best solution found."""
    job = visible_job(request, caller, job_id)
    status = cancel_job(request, caller, job)
    return {"job_id": job.id, "status": status}
