"""A commissioner's scenarios: the library (scenarios/library/*.yaml), changes by form, a scenario file uploaded,
the job's progress (htmx polls it), its results with names, and two runs compared. Every step goes through
``api.records.scenario_jobs``: the same council checks, caps and audit rows (one per council) as ``/v1/scenarios``.
"""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response

from api.platform.jobs.queue import TERMINAL, WITH_RESULTS
from api.records.documents import scenario_document
from api.records.run_records import check_run_text, run_name
from api.records.scenario_jobs import (
    audit_jobs,
    cancel_job,
    job_with_results,
    submit_document,
    visible_job,
    visible_jobs,
)
from api.records.scenario_library import saved_scenario, saved_scenarios
from api.web.assets import LEAFLET_CSS, LEAFLET_JS
from api.web.delta_form import GENDER_CHOICES, KIND_CHOICES, delta_values, describe_delta, form_deltas
from api.web.policy_form import WEIGHT_WORDS, form_policy, policy_values
from api.web.render import page
from api.web.results import map_frame, results_frames
from api.web.run_views import run_view, show_run, why_no_results
from api.web.sessions import Form, Planner
from core.errors import Busy, Conflict, Forbidden, NotFound, PlacewiseError
from core.vocabulary import NEED_WORDS, NEEDS
from scenarios.reports.maps import LeafletFiles, allocation_layers, html_map
from scenarios.schema import load_scenario

router = APIRouter(include_in_schema=False)
LIBRARY = Path(__file__).resolve().parents[3] / "scenarios" / "library"
MAX_UPLOAD = 200_000
#: How the form names a saved scenario of the body among the library's.
SAVED_PREFIX = "saved-"


def library() -> dict[str, dict]:
    """The library's scenarios by file name: each as the whole document the service runs (bases merged)."""
    found = {}
    for path in sorted(LIBRARY.glob("*.yaml")):
        scenario = load_scenario(path)
        document = scenario.model_dump(mode="json", exclude={"base_dir", "roads"}, exclude_none=True)
        found[path.stem] = {"name": scenario.name, "description": scenario.description, "document": document,
                            "councils": list(scenario.councils), "plan": scenario.plan is not None}
    return found


def library_page(request: Request, caller, errors: dict, values: dict, status: int = 200) -> Response:  # type: ignore[no-untyped-def]
    """The scenarios page: the library (built-in and the body's saved), the form, the runs."""
    view = request.app.state.register.current()
    jobs = visible_jobs(request, caller)[:50]
    audit_jobs(request, caller, "list", [(job.id, job.councils) for job in jobs] or [(None, [None])])
    entries = library()
    runnable = {key: entry for key, entry in entries.items() if all(code in view.councils for code in entry["councils"])
                and all(caller.may_see(code) for code in entry["councils"])}
    providers = view.inputs.providers
    mine = providers[providers["host_council"].isin(caller.councils if caller.role != "admin" else view.councils)]
    settings = [(str(urn), f"{name} ({view.council_name(host)})") for urn, name, host in
                zip(mine.index, mine["name"], mine["host_council"], strict=True)][:2_000]
    finished = [(job.id, " · ".join(part for part in (job.name, job.label, f"{job.created_at:%d %b %Y %H:%M}") if part))
                for job in jobs if job.status == "succeeded" and not job.kind]
    listed = [{"id": job.id, "status": job.status, "at": f"{job.created_at:%d %B %Y %H:%M}", "by": job.submitted_by,
               "name": job.name or "Scenario", "label": job.label, "description": job.description,
               "councils": ", ".join(view.council_name(code) for code in job.councils)} for job in jobs]
    councils = _form_councils(request, caller)
    return page(request, "scenarios.html", status, title="Scenarios", errors=errors, values=values,
                library=[(key, entry) for key, entry in entries.items()], runnable=runnable,
                saved=saved_views(request, caller), settings=[("", "No change")] + settings,
                needs=[("", "No change")] + [(n, n) for n in NEEDS], need_words=NEED_WORDS,
                councils=[(code, view.council_name(code)) for code in councils], kinds=KIND_CHOICES,
                genders=GENDER_CHOICES, illustrative_bands=request.app.state.settings.packages is None, jobs=listed,
                finished=finished, weight_words=WEIGHT_WORDS,
                deleted=request.query_params.get("deleted"), saved_now=request.query_params.get("saved") == "1")


def _form_councils(request: Request, caller) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The councils the form offers (quotas, a new setting's host): the caller's that the register holds."""
    view = request.app.state.register.current()
    return tuple(code for code in view.councils if caller.may_see(code))


def saved_views(request: Request, caller) -> list[dict]:  # type: ignore[no-untyped-def]
    """The body's saved scenarios as the page lists them (the settings their changes name, by name)."""
    names = request.app.state.register.current().inputs.providers["name"]

    def setting(urn: int) -> str:
        return f"{names[urn]} ({urn})" if urn in names.index else str(urn)

    return [{"id": item.id, "name": item.name, "description": item.description or "", "by": item.saved_by,
             "at": f"{item.saved_at:%d %B %Y %H:%M}", "mine": item.saved_by == caller.name or caller.role == "admin",
             "changes": [describe_delta(delta, setting) for delta in item.document.get("deltas") or []]}
            for item in saved_scenarios(request, caller)]


@router.get("/scenarios")
def scenarios_page(request: Request, caller: Planner) -> Response:
    chosen = request.query_params.get("from", "")
    return library_page(request, caller, {}, {"library": chosen[:60]} if chosen else {})


def _base_document(request: Request, caller, form, entries: dict) -> tuple[dict | None, dict[str, str]]:  # type: ignore[no-untyped-def]
    """The scenario the form starts from: an uploaded file, a saved scenario of the body, or the library's."""
    upload = form.get("upload")
    chosen = str(form.get("library", ""))
    if isinstance(upload, UploadFile) and upload.filename:
        body = upload.file.read(MAX_UPLOAD + 1)
        if len(body) > MAX_UPLOAD:
            return None, {"upload": "The file must be smaller than 200 KB"}
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in (".yaml", ".yml", ".json"):
            return None, {"upload": "The file must be a scenario in YAML (.yaml) or JSON (.json)"}
        try:
            return scenario_document(body, "application/yaml" if suffix != ".json" else "application/json"), {}
        except PlacewiseError as refused:
            return None, {"upload": f"The file is not a scenario Placewise can read: {refused.message}"}
    if chosen.startswith(SAVED_PREFIX):
        saved = saved_scenario(request, caller, chosen[len(SAVED_PREFIX):], "read")
        return dict(saved.document), {}
    if chosen in entries:
        return dict(entries[chosen]["document"]), {}
    return None, {"library": "Choose a scenario from the library, or upload a scenario file"}


def document_from_form(request: Request, caller, form) -> tuple[dict | None, dict[str, str], dict[str, str]]:  # type: ignore[no-untyped-def]
    """The scenario the form describes (its base with the form's changes and policy), the fields that are wrong with
    their messages, and the fields as typed (a wrong one emptied, so nothing typed is shown back with its error)."""
    councils = _form_councils(request, caller)
    values = {key: str(form.get(key, "")) for key in ("library", "run_name", "run_label", "save_name",
                                                        "save_description")}
    values.update(delta_values(form, councils))
    values.update(policy_values(form))
    document, errors = _base_document(request, caller, form, library())
    providers = request.app.state.register.current().inputs.providers
    deltas, wrong = form_deltas(values, lambda urn: urn in providers.index, councils)
    errors.update(wrong)
    policy, wrong = form_policy(form, dict((document or {}).get("policy") or {}))
    errors.update(wrong)
    for field in errors:
        values[field] = ""
    if document is None or errors:
        return None, errors, values
    document["deltas"] = [*(document.get("deltas") or []), *deltas]
    if policy is not None:
        document["policy"] = policy
    return document, {}, values


@router.post("/scenarios")
def submit(request: Request, caller: Planner, form: Form) -> Response:
    document, errors, values = document_from_form(request, caller, form)
    names: dict[str, str | None] = {}
    for field, key in (("name", "run_name"), ("label", "run_label")):
        try:
            names[field] = check_run_text(values[key], field)
        except PlacewiseError as refused:
            words = refused.message.split(": ", 1)[-1]
            errors[key], values[key] = words[:1].upper() + words[1:], ""
    if document is not None and not errors:
        try:
            job_id = submit_document(request, caller, request.app.state.settings,
                                     request.app.state.register.current(), document, names["name"], names["label"])
            return RedirectResponse(f"/scenarios/{job_id}", status_code=303)
        except (Busy, Conflict, Forbidden, NotFound) as refused:
            errors = {"library": refused.message}
        except (PlacewiseError, ValueError) as refused:
            errors = {"library": f"The scenario cannot run: {str(refused)[:300]}"}
    return library_page(request, caller, errors, values, 422)


@router.get("/scenarios/{job_id}")
def job_page(job_id: str, request: Request, caller: Planner) -> Response:
    return show_run(request, caller, visible_job(request, caller, job_id))


@router.post("/scenarios/{job_id}/cancel")
def job_cancel(job_id: str, request: Request, caller: Planner, form: Form) -> Response:
    """Stop a run (a queued one at once; a running one within seconds), audited as the API's cancel is."""
    job = visible_job(request, caller, job_id)
    cancel_job(request, caller, job)
    return RedirectResponse(f"/scenarios/{job.id}", status_code=303)


@router.get("/scenarios/{job_id}/progress")
def job_progress(job_id: str, request: Request, caller: Planner) -> Response:
    job = visible_job(request, caller, job_id)
    audit_jobs(request, caller, "read", [(job.id, job.councils)])
    response = page(request, "_progress.html", job=job)
    if job.status in TERMINAL:
        response.headers["HX-Refresh"] = "true"
    return response


@router.get("/scenarios/{job_id}/map")
def job_map(job_id: str, request: Request, caller: Planner) -> Response:
    job = job_with_results(request, caller, job_id, "read")
    view = request.app.state.register.current()
    layers = allocation_layers(view.inputs.data_dir, job.councils, view.inputs.providers, map_frame(view, job),
                               f"{run_name(job)}: settings and cross-boundary flows")
    return HTMLResponse(html_map(layers, LeafletFiles(LEAFLET_JS, LEAFLET_CSS)))


@router.get("/scenarios/{job_id}/results.{form}")
def job_download(job_id: str, form: str, request: Request, caller: Planner) -> Response:
    """The run's results as CSV (a row per child) or Excel (every table); a run without results says why, with a
    link back to it, instead of an error."""
    from api.web.downloads import download

    if form not in ("csv", "xlsx"):
        raise HTTPException(404, "no such download")
    job = visible_job(request, caller, job_id)
    if not job.result or job.status not in WITH_RESULTS:
        return page(request, "run_no_results.html", 409, title="Nothing to download", run=run_view(job, caller),
                    why=why_no_results(job))
    job = job_with_results(request, caller, job_id, "export")
    frames = results_frames(request.app.state.register.current(), job)
    return download(frames if form == "xlsx" else {"Allocation": frames["Allocation"]}, f"run-{job.id[:8]}", form)
