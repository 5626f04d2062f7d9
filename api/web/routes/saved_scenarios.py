"""The body's scenario library on the pages: the scenario edited on the form saved under a name, and a saved one run,
downloaded as YAML or deleted. Cloning is the form itself: ``/scenarios?from=saved-ID`` starts it from a saved
scenario. Every step goes through ``api.records.scenario_library`` (its checks, 404s and audit rows)."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.records.scenario_library import delete_saved, run_saved, save_scenario, saved_scenario
from api.web.downloads import yaml_download
from api.web.routes.scenarios import document_from_form, library_page
from api.web.sessions import Commissioner, Form, Planner
from core.errors import PlacewiseError

router = APIRouter(include_in_schema=False)
#: What the service's refusals of a name or description say, in the form's words.
SAVE_MESSAGES = {"save_name": "Enter a name for the scenario, at most 100 characters, on one line",
                 "save_description": "Enter a description of at most 1,000 characters, without tabs or other "
                                     "control characters"}


@router.post("/scenarios/saved")
def save(request: Request, caller: Commissioner, form: Form) -> Response:
    """Save the scenario the form describes to the body's library (nothing stored where anything is wrong)."""
    document, errors, values = document_from_form(request, caller, form)
    if not values["save_name"].strip():
        errors["save_name"] = SAVE_MESSAGES["save_name"]
    if document is not None and not errors:
        try:
            save_scenario(request, caller, request.app.state.register.current(), document, values["save_name"],
                          values["save_description"])
            return RedirectResponse("/scenarios?saved=1#saved-scenarios", status_code=303)
        except PlacewiseError as refused:
            field = {"name": "save_name", "description": "save_description"}.get(refused.field or "")
            errors = {field: SAVE_MESSAGES[field]} if field else {"library": f"The scenario cannot be saved: "
                                                                             f"{str(refused)[:300]}"}
    for field in errors:
        values[field] = ""
    return library_page(request, caller, errors, values, 422)


@router.post("/scenarios/saved/{saved_id}/run")
def run(saved_id: str, request: Request, caller: Planner, form: Form) -> Response:
    """Run a saved scenario as it is saved."""
    return RedirectResponse(f"/scenarios/{run_saved(request, caller, saved_id)}", status_code=303)


@router.get("/scenarios/saved/{saved_id}/scenario.yaml")
def download(saved_id: str, request: Request, caller: Planner) -> Response:
    """A saved scenario as a YAML file, to edit and upload again."""
    saved = saved_scenario(request, caller, saved_id, "export")
    return yaml_download(dict(saved.document), saved.name)


@router.post("/scenarios/saved/{saved_id}/delete")
def delete(saved_id: str, request: Request, caller: Planner, form: Form) -> Response:
    """Delete a saved scenario (whoever saved it, or an admin)."""
    delete_saved(request, caller, saved_id)
    return RedirectResponse("/scenarios?deleted=saved#saved-scenarios", status_code=303)
