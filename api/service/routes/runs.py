"""A run's owner names, labels, copies and deletes it: ``PATCH``, ``POST .../clone`` and ``DELETE`` on
``/v1/scenarios/{job_id}`` (``api.records.run_records``: only its owner or an admin; errors by field)."""

from fastapi import APIRouter, Request, Response

from api.platform.security.auth import ScenarioRole
from api.records.run_records import clone_job, delete_job, rename_job
from api.records.scenario_jobs import summary
from api.service.schemas.common import problems
from api.service.schemas.runs import RunChange, RunCopy
from api.service.schemas.scenarios import JobQueued, RunSummary

router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.patch("/{job_id}", response_model=RunSummary)
def rename_scenario(job_id: str, change: RunChange, request: Request, caller: ScenarioRole) -> dict:
    """Give a run of yours a new name and label (at most 100 characters each, no control characters)."""
    return summary(rename_job(request, caller, job_id, change.name, change.label))


@router.post("/{job_id}/clone", status_code=202, response_model=JobQueued)
def clone_scenario(job_id: str, request: Request, caller: ScenarioRole, copy: RunCopy | None = None) -> dict:
    """Run a run of yours again as a new run (the same scenario), named as given or "Copy of" its name."""
    return {"job_id": clone_job(request, caller, job_id, copy.name if copy else None), "status": "queued"}


@router.delete("/{job_id}", status_code=204)
def delete_scenario(job_id: str, request: Request, caller: ScenarioRole) -> Response:
    """Delete a run of yours that has ended (stop a queued or running one first)."""
    delete_job(request, caller, job_id)
    return Response(status_code=204)
