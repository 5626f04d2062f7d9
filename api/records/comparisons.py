"""Two runs compared, decomposed by change: queue the decomposition as a job (each change alone and in order, see
``scenarios.decomposition``) and find the latest one of a pair. Audited as the compare is, a row per council."""

from fastapi import Request
from sqlalchemy import select

from api.platform.jobs import queue as jobs
from api.platform.security.auth import Principal
from api.platform.store.models import Job
from api.records.run_records import MAX_NAME, run_name
from api.records.scenario_jobs import audit_jobs, check_capacity_to_queue, compared_jobs
from scenarios.decomposition import decomposition_changes, decomposition_documents

KIND = "decomposition"
STEP_OVERRUN_S = 60.0  # each step's loading and candidates, beyond its solver's own limit


def explain_comparison(request: Request, caller: Principal, first_id: str, second_id: str) -> str:
    """Queue the decomposition of two succeeded runs the caller may see; its job's id. ``PlacewiseError`` (by
    field) where they differ in more than their changes and policy, or in nothing."""
    first, second, _ = compared_jobs(request, caller, first_id, second_id)
    view = request.app.state.register.current()
    names = {int(urn): str(name) for urn, name in view.inputs.providers["name"].items()}
    changes = decomposition_changes(first.spec, second.spec, names)
    steps = decomposition_documents(first.spec, changes)
    per_step = float((second.spec.get("solver") or {}).get("time_limit_seconds", 120))
    spec = {"job": KIND, "first": first.id, "second": second.id, "changes": changes, "steps": steps,
            "first_kpis": first.result["kpis"] if first.result else {},
            "second_kpis": second.result["kpis"] if second.result else {},
            "solver": {"time_limit_seconds": len(steps) * (per_step + STEP_OVERRUN_S)}}
    councils = list(dict.fromkeys([*first.councils, *second.councils]))
    check_capacity_to_queue(request, tuple(councils), request.app.state.settings.jobs_per_council)
    name = f"Difference explained: {run_name(first)} → {run_name(second)}"
    with request.app.state.sessions.begin() as session:
        job_id = jobs.submit(request.app.state.engine, spec, caller.name, councils, session,
                             name=name[:MAX_NAME - 1] + "…" if len(name) > MAX_NAME else name, kind=KIND,
                             description=f"Each of {len(changes)} changes alone and in order")
        audit_jobs(request, caller, "submit", [(job_id, councils)], session)
    return job_id


def latest_decomposition(request: Request, caller: Principal, first_id: str, second_id: str) -> Job | None:
    """The newest decomposition of the pair the caller may see (any status), or None."""
    with request.app.state.sessions() as session:
        found = session.scalars(select(Job).where(Job.kind == KIND).order_by(Job.created_at.desc())).all()
    for job in found:
        if (job.spec or {}).get("first") == first_id and (job.spec or {}).get("second") == second_id and all(
                caller.may_see(council) for council in job.councils):
            return job
    return None
