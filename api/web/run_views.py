"""A run's page: its heading (name, label, its scenario's description), the owner's forms to rename, copy or delete
it, and, for a run that ended without results, why there are none. Shared by the scenarios' and runs' routers."""

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from api.platform.jobs.queue import TERMINAL
from api.platform.security.auth import Principal
from api.platform.store.models import Job
from api.records.run_records import run_name
from api.records.scenario_jobs import audit_jobs, job_with_results
from api.web.render import page
from api.web.results import results_view


def run_view(job: Job, caller: Principal) -> dict:
    """What a page shows of a run: names, who and when, and whether the caller may change it."""
    spec = job.spec or {}
    return {"id": job.id, "name": run_name(job), "label": job.label,
            "description": job.description or str(spec.get("description") or "").strip() or None,
            "scenario": str(spec.get("name") or (spec.get("scenario") or {}).get("name") or "a comparison"),
            "at": f"{job.created_at:%d %B %Y %H:%M}",
            "by": job.submitted_by, "owned": caller.role == "admin" or job.submitted_by == caller.name,
            "ended": job.status in TERMINAL, "status": job.status}


def why_no_results(job: Job) -> str:
    """Why a run that has ended shows no results, in words."""
    if job.status == "cancelled":
        return ("This run was stopped before it had found an answer, so there are no results to show or download. "
                "Run it again as a copy to start it afresh.")
    if job.status == "failed":
        return (f"This run failed, so there are no results to show or download: {job.error or 'no reason was given'}."
                " Run it again as a copy, or change the scenario.")
    return "This run has no results yet: they come once it has ended with an answer."


def show_run(request: Request, caller: Principal, job: Job, errors: dict | None = None, values: dict | None = None,
             status: int = 200) -> Response:
    """The run's page: its results where it ended with them, else its progress (or why it has none)."""
    view = request.app.state.register.current()
    councils = ", ".join(view.council_name(code) for code in job.councils)
    run = run_view(job, caller)
    context = {"run": run, "errors": errors or {}, "values": values or {}, "councils": councils}
    if job.kind == "decomposition" and job.status == "succeeded":  # its answer is on the comparison's page
        audit_jobs(request, caller, "read", [(job.id, job.councils)])
        spec = job.spec or {}
        return RedirectResponse(f"/scenarios/compare?first={spec.get('first')}&second={spec.get('second')}"
                                "#decomposition", status_code=303)
    if job.kind in ("plan", "sweep") and job.status in TERMINAL and (job.result or {}).get("plan"):
        job = job_with_results(request, caller, job.id, "read")
        return page(request, "plan_result.html", status, title=f"Plan: {run['name']}", job=job,
                    council_names={code: view.council_name(code) for code in view.councils}, **context)
    if job.status in TERMINAL and job.result:
        job = job_with_results(request, caller, job.id, "read")
        return page(request, "results.html", status, title=f"Results: {run['name']}", job=job,
                    **{**results_view(view, job), **context})
    audit_jobs(request, caller, "read", [(job.id, job.councils)])
    return page(request, "job.html", status, title=f"Run: {run['name']}", job=job,
                why_no_results=why_no_results(job), **context)
