"""Two runs' difference decomposed by change, as a job: ``POST /v1/scenarios/compare/explain`` queues it (each
change alone and in order; ``api.records.comparisons``), ``GET /v1/scenarios/compare/decomposition`` reads the
latest for the pair (its status and, once it has succeeded, the decomposition)."""

from fastapi import APIRouter, HTTPException, Query, Request

from api.platform.security.auth import ScenarioRole
from api.records.comparisons import explain_comparison, latest_decomposition
from api.records.scenario_jobs import ID_LENGTH, audit_jobs, summary
from api.service.schemas.common import problems
from api.service.schemas.scenarios import DecompositionState, JobQueued

router = APIRouter(prefix="/v1/scenarios/compare", tags=["scenarios"],
                   responses=problems(400, 401, 403, 404, 409, 413, 422, 429))


@router.post("/explain", status_code=202, response_model=JobQueued)
def explain(request: Request, caller: ScenarioRole, first: str = Query(max_length=ID_LENGTH),
            second: str = Query(max_length=ID_LENGTH)) -> dict:
    """Decompose two succeeded runs' difference by change (each alone and in order) as a job; its id."""
    return {"job_id": explain_comparison(request, caller, first, second), "status": "queued"}


@router.get("/decomposition", response_model=DecompositionState)
def decomposition(request: Request, caller: ScenarioRole, first: str = Query(max_length=ID_LENGTH),
            second: str = Query(max_length=ID_LENGTH)) -> dict:
    """The latest decomposition of two runs: its status and, once it has succeeded, each change alone and in
    order, the total and what is unexplained (a re-run's difference from the stored second run)."""
    job = latest_decomposition(request, caller, first, second)
    if job is None:
        raise HTTPException(404, "no decomposition of these two runs; ask for one with POST .../compare/explain")
    audit_jobs(request, caller, "read", [(job.id, job.councils)])
    return {**summary(job), "error": job.error, "progress": job.progress,
            "decomposition": (job.result or {}).get("decomposition")}
