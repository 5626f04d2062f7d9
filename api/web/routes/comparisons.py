"""Two runs compared on a page and as a download (Excel with every figure a number, or the key figures as CSV),
with the difference decomposed by change as a job (``api.records.comparisons``) and the capital of new places with
its payback. Audited as the API's compare is, a row per council."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.records.comparisons import explain_comparison, latest_decomposition
from api.records.scenario_jobs import ID_LENGTH, compared_jobs
from api.web.comparison_view import comparison, comparison_frames
from api.web.render import page
from api.web.sessions import Form, Planner
from core.errors import PlacewiseError
from scenarios.baseline import baseline_rows

router = APIRouter(include_in_schema=False)


def _compared(request: Request, caller, first: str, second: str) -> dict:  # type: ignore[no-untyped-def]
    one, two, rows = compared_jobs(request, caller, first[:ID_LENGTH], second[:ID_LENGTH])
    found = latest_decomposition(request, caller, one.id, two.id)
    return comparison(request.app.state.register.current(), one, two, rows,
                      request.app.state.settings.capital_cost_per_place_gbp, found)


def _compare_page(request: Request, caller, first: str, second: str, errors: dict | None = None,  # type: ignore[no-untyped-def]
                  status: int = 200) -> Response:
    compared = _compared(request, caller, first, second)
    baselines = [(name, baseline_rows(job.result["kpis"]["baseline"])) for name, job in
                 zip(compared["names"], (compared["first"], compared["second"]), strict=True)
                 if job.result and "baseline" in job.result.get("kpis", {})]
    return page(request, "compare.html", status, title="Two runs compared", baselines=baselines,
                errors=errors or {}, **compared)


@router.get("/scenarios/compare")
def compare(request: Request, caller: Planner, first: str = "", second: str = "") -> Response:
    if not first or not second or first == second:
        from api.web.routes.scenarios import library_page

        return library_page(request, caller, {"first": "Choose two different finished runs to compare"}, {}, 422)
    return _compare_page(request, caller, first, second)


@router.post("/scenarios/compare/explain")
def explain(request: Request, caller: Planner, form: Form) -> Response:
    """Queue the difference's decomposition by change, then follow it on its run page."""
    first, second = str(form.get("first", ""))[:ID_LENGTH], str(form.get("second", ""))[:ID_LENGTH]
    try:
        job_id = explain_comparison(request, caller, first, second)
    except PlacewiseError as refused:
        if refused.field != "second":
            raise
        words = refused.message.split(": ", 1)[-1]
        return _compare_page(request, caller, first, second, {"explain": words[:1].upper() + words[1:]}, 422)
    return RedirectResponse(f"/scenarios/{job_id}", status_code=303)


@router.get("/scenarios/compare.{form}")
def compare_download(form: str, request: Request, caller: Planner, first: str = "", second: str = "") -> Response:
    """The comparison as Excel (every table) or CSV (the key figures)."""
    from api.web.downloads import download

    if form not in ("csv", "xlsx"):
        raise HTTPException(404, "no such download")
    compared = _compared(request, caller, first, second)
    bases = [(job.result or {}).get("cost_basis") for job in (compared["first"], compared["second"])]
    frames = comparison_frames(request.app.state.register.current(), compared, bases)
    return download(frames if form == "xlsx" else {"Key figures": frames["Key figures"]},
                    f"comparison-{compared['first'].id[:8]}-{compared['second'].id[:8]}", form)
