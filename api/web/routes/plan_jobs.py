"""A planner's capacity plans and sweeps as jobs: a form over a library plan scenario (needs, year, unit size and
costs, sites, travel cap, budget, capital cost, sweep draws), the job's progress and cancel on its run page, and
its results: the sites chosen and whom each serves, a map of the proposed sites, the sweep explained against the
plan, and downloads. The pages answer at once; the work is in the job (``api.records.plan_jobs``)."""

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response

from api.records.plan_jobs import submit_plan
from api.records.scenario_jobs import job_with_results
from api.web.assets import LEAFLET_CSS, LEAFLET_JS
from api.web.downloads import download
from api.web.plan_form import PLAN_FIELDS, plan_document, plan_library
from api.web.render import page
from api.web.sessions import Form, Planner
from core.errors import PlacewiseError
from core.vocabulary import NEEDS
from scenarios.reports.maps import LeafletFiles, MapLayers, html_map, sub_region_shapes

router = APIRouter(include_in_schema=False)


def _form_page(request: Request, caller, errors: dict, values: dict, status: int = 200) -> Response:  # type: ignore[no-untyped-def]
    view = request.app.state.register.current()
    entries = plan_library(view, caller)
    return page(request, "plan_form.html", status, title="Plan new places", errors=errors, values=values,
                library=entries, needs=NEEDS, demo=view.inputs.data_dir is None,
                capital=request.app.state.settings.capital_cost_per_place_gbp)


@router.get("/planning/jobs/new")
def new_plan(request: Request, caller: Planner) -> Response:
    return _form_page(request, caller, {}, {})


@router.post("/planning/jobs")
def start_plan(request: Request, caller: Planner, form: Form) -> Response:
    view = request.app.state.register.current()
    values = {name: str(form.get(name, "")) for name in PLAN_FIELDS} | {"needs": form.getlist("needs")}
    document, kind, capital, errors = plan_document(form, plan_library(view, caller),
                                                    request.app.state.settings.capital_cost_per_place_gbp)
    if document is not None:
        try:
            job_id = submit_plan(request, caller, document, kind, capital, str(form.get("run_name", "")) or None)
            return RedirectResponse(f"/scenarios/{job_id}", status_code=303)
        except PlacewiseError as refused:
            words = refused.message.split(": ", 1)[-1]
            errors = {refused.field if refused.field in PLAN_FIELDS else "library": words[:1].upper() + words[1:]}
    return _form_page(request, caller, errors, values, 422)


def plan_layers(view, job) -> MapLayers:  # type: ignore[no-untyped-def]
    """The plan's map: its councils, the proposed sites (chosen, and the other candidates) and the children's
    flows from their home councils to each."""
    plan = job.result["plan"]
    chosen = {site["site_id"] for site in plan["sites"]}
    places = pd.DataFrame([{**site, "kind": "special_maintained" if site["site_id"] in chosen else "sen_unit",
                            "name": f"{site['name']} ({'proposed unit' if site['site_id'] in chosen else 'candidate'})"}
                           for site in plan["candidates"]]).set_index("site_id")
    flows = pd.DataFrame([flow for flow in plan["flows"] if flow["kind"] == "site"],
                         columns=["council", "facility_id", "kind", "children"])
    return MapLayers(councils=sub_region_shapes(view.inputs.data_dir, list(plan["councils"])), providers=places,
                     title=f"{plan['name']}: proposed sites and whom they serve",
                     flows=flows.rename(columns={"council": "home_council", "facility_id": "provider_id"}))


@router.get("/planning/jobs/{job_id}/map")
def plan_map(job_id: str, request: Request, caller: Planner) -> Response:
    job = job_with_results(request, caller, job_id, "read")
    if not (job.result or {}).get("plan"):
        raise HTTPException(404, "this run is not a plan")
    return HTMLResponse(html_map(plan_layers(request.app.state.register.current(), job),
                                 LeafletFiles(LEAFLET_JS, LEAFLET_CSS)))


def plan_frames(view, job) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """The plan's tables with units: the sites and whom they serve, the totals, and the sweep's frequencies."""
    plan = job.result["plan"]
    sites = pd.DataFrame([{"site (a new unit at)": site["name"], "site_id": site["site_id"],
                           "places": site["places"], "children served": site["children"],
                           "fixed cost a year (£)": round(site["fixed_cost_gbp"]),
                           "cost a place a year (£)": round(site["place_cost_gbp"]),
                           "average journey (minutes)": site["travel_minutes_mean"],
                           "from the councils": "; ".join(f"{view.council_name(code)} {count}" for code, count in
                                                          site["by_council"].items()),
                           "needs": "; ".join(f"{need} {count}" for need, count in site["by_need"].items())}
                          for site in plan["sites"]])
    totals = pd.DataFrame([
        {"figure": "Children needing a new place", "value": plan["children"], "unit": "children"},
        {"figure": "Cost of the plan a year", "value": plan["total_cost_gbp"], "unit": "£ a year"},
        {"figure": "Cost with nothing new a year", "value": plan["baseline_cost_gbp"], "unit": "£ a year"},
        {"figure": "Saving a year", "value": plan["saving_gbp"], "unit": "£ a year"},
        {"figure": "Still sent to distant places", "value": plan["fallback_children"], "unit": "children"}]
        + ([{"figure": "Capital cost of the new places", "value": plan["capital"]["capital_gbp"], "unit": "£"},
            {"figure": "Payback", "value": plan["capital"]["payback_years"], "unit": "years"}]
           if plan.get("capital") else []))
    frames = {"Plan": totals, "Sites": sites}
    if job.result.get("sweep"):
        frames["Sweep"] = pd.DataFrame([{"site": row["name"], "in the plan": "yes" if row["in_plan"] else "no",
                                         "chosen in all variants (%)": round(100 * row["share"], 1),
                                         "chosen with the plan's limits (%)": round(100 * row["share_same_limits"], 1)}
                                        for row in job.result["sweep"]["frequency"]])
    return frames


@router.get("/planning/jobs/{job_id}/plan.{form}")
def plan_download(job_id: str, form: str, request: Request, caller: Planner) -> Response:
    if form not in ("csv", "xlsx"):
        raise HTTPException(404, "no such download")
    job = job_with_results(request, caller, job_id, "export")
    if not (job.result or {}).get("plan"):
        raise HTTPException(404, "this run is not a plan")
    frames = plan_frames(request.app.state.register.current(), job)
    return download(frames if form == "xlsx" else {"Sites": frames["Sites"]}, f"plan-{job.id[:8]}", form)
