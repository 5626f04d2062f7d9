"""A run's owner renames, labels, copies and deletes it from its page, through ``api.records.run_records`` (the
API's checks and audit rows); a bad name or label comes back by field, with nothing stored."""


from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.records.run_records import clone_job, delete_job, owned_job, rename_job, run_name
from api.records.scenario_jobs import audit_jobs, visible_job
from api.web.downloads import yaml_download
from api.web.render import page
from api.web.run_views import run_view, show_run
from api.web.sessions import Form, Planner
from core.errors import PlacewiseError

router = APIRouter(include_in_schema=False)


@router.post("/scenarios/{job_id}/rename")
def rename(job_id: str, request: Request, caller: Planner, form: Form) -> Response:
    values = {key: str(form.get(key, "")) for key in ("name", "label")}
    try:
        rename_job(request, caller, job_id, values["name"], values["label"])
    except PlacewiseError as refused:
        if refused.field not in ("name", "label"):
            raise
        words = refused.message.split(": ", 1)[-1]
        errors = {refused.field: words[:1].upper() + words[1:]}
        shown = {**values, refused.field: ""} if "control" in refused.message else values
        return show_run(request, caller, visible_job(request, caller, job_id), errors, shown, 422)
    return RedirectResponse(f"/scenarios/{job_id}", status_code=303)


@router.post("/scenarios/{job_id}/clone")
def clone(job_id: str, request: Request, caller: Planner, form: Form) -> Response:
    return RedirectResponse(f"/scenarios/{clone_job(request, caller, job_id)}", status_code=303)


@router.get("/scenarios/{job_id}/delete")
def confirm_delete(job_id: str, request: Request, caller: Planner) -> Response:
    job = owned_job(request, caller, job_id)
    return page(request, "run_delete.html", title=f"Delete the run {run_view(job, caller)['name']}?",
                run=run_view(job, caller))


@router.post("/scenarios/{job_id}/delete")
def delete(job_id: str, request: Request, caller: Planner, form: Form) -> Response:
    delete_job(request, caller, job_id)
    return RedirectResponse("/scenarios?deleted=1", status_code=303)


@router.get("/scenarios/{job_id}/scenario.yaml")
def scenario_yaml(job_id: str, request: Request, caller: Planner) -> Response:
    """The run's scenario as a YAML file to edit and upload again; stored children are not written out (the file
    says ``stored: true`` instead, so a run of it reads them afresh, audited)."""
    job = visible_job(request, caller, job_id)
    audit_jobs(request, caller, "export", [(job.id, job.councils)])
    document = dict(job.spec or {})
    if document.get("job"):
        raise HTTPException(404, "this run is a comparison, not a scenario")
    cohort = dict(document.get("cohort") or {})
    if cohort.get("children"):
        cohort = {key: value for key, value in cohort.items() if key != "children"} | {"stored": True}
    document.pop("packages", None)  # the deployment's price bands, given again when the file is run
    return yaml_download({**document, "cohort": cohort, "name": run_name(job)}, run_name(job))
