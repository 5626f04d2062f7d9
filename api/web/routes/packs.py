"""The local SEND reform plan pack for a council or a body: a form choosing the baseline run and the actions (runs of
the caller's councils), then the pack as a page (HTML), a PDF or an Excel workbook, built from the stored runs
(``scenarios.reports.reform_pack``); each run read is audited as an export. No baseline, no action or a bad name:
errors by field, nothing stored (a pack is read, never kept)."""

import functools
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response

from api.platform.security.audit import audit_many
from api.records.run_records import check_run_text, run_name
from api.records.scenario_jobs import ID_LENGTH, job_with_results, visible_jobs
from api.web.downloads import download
from api.web.render import page
from api.web.sessions import Planner
from core.errors import PlacewiseError
from scenarios.reports.names import change_words
from scenarios.reports.pack_forecast import DEFAULT_YEAR, NO_OUTLOOK, YEARS, Outlook, check_year, forecast_for_pack
from scenarios.reports.reform_pack import build_pack, pack_frames, pack_html, pack_pdf

router = APIRouter(include_in_schema=False)
YEAR_OPTIONS = [(str(year), str(year)) for year in YEARS]
FORMS = {"html": "a page", "pdf": "a PDF", "xlsx": "an Excel workbook"}


def _runs(request: Request, caller) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(job.id, " · ".join(part for part in (job.name, job.label, f"{job.created_at:%d %b %Y %H:%M}") if part))
            for job in visible_jobs(request, caller) if job.status == "succeeded" and not job.kind][:100]


def _record(request: Request, caller, job_id: str) -> dict:  # type: ignore[no-untyped-def]
    job = job_with_results(request, caller, job_id[:ID_LENGTH], "export")
    if job.kind:
        raise HTTPException(404, "not a scenario run")
    view = request.app.state.register.current()
    names = {int(urn): str(name) for urn, name in view.inputs.providers["name"].items()}
    spec, result = job.spec or {}, job.result or {}
    places = view.inputs.providers["places"]
    closed = [int(delta["close"]) for delta in spec.get("deltas") or [] if delta.get("close")]
    return {"name": run_name(job), "kpis": result.get("kpis", {}), "allocation": result.get("allocation", []),
            "closed_places": {str(urn): int(places[urn]) for urn in closed if urn in places.index
                              and pd.notna(places[urn])},
            "deltas": spec.get("deltas") or [], "cost_basis": result.get("cost_basis"),
            "stored": bool((spec.get("cohort") or {}).get("children")), "councils": job.councils,
            "changes": [change_words(delta, names) for delta in spec.get("deltas") or []]}


def _outlook(request: Request, caller, baseline: dict | None, year: int) -> Outlook:  # type: ignore[no-untyped-def]
    """The forecast of plans for the baseline's councils to the pack's year (read once a server for each), audited as
    a read of aggregates a council, as the planning page's is."""
    if baseline is None:
        return NO_OUTLOOK
    councils = tuple(sorted(baseline["councils"]))
    data = request.app.state.register.current().inputs.data_dir
    if data is not None:
        audit_many(request, caller, "read", "forecast", [(None, code) for code in councils])
    return _forecast(data, councils, year)


@functools.lru_cache(maxsize=16)
def _forecast(data: Path | None, councils: tuple[str, ...], year: int) -> Outlook:
    return forecast_for_pack(data, list(councils), year)


@router.get("/packs")
def pack_form(request: Request, caller: Planner) -> Response:
    return page(request, "pack_form.html", title="Reform plan pack", errors={}, values={}, runs=_runs(request, caller),
                forms=FORMS, years=YEAR_OPTIONS, default_year=DEFAULT_YEAR)


@router.get("/packs/pack")
def pack(request: Request, caller: Planner) -> Response:
    """The pack, in the form asked for; the form again with errors by field where it cannot be made."""
    query = request.query_params
    chosen = [action[:ID_LENGTH] for action in query.getlist("actions")]
    values: dict = {"body": query.get("body", ""), "baseline": query.get("baseline", ""), "actions": chosen,
                    "year": query.get("year", str(DEFAULT_YEAR)),
                    "mitigated": query.get("mitigated", ""), "form": query.get("form", "html")}
    errors: dict[str, str] = {}
    try:
        body = check_run_text(values["body"], "body", required=True)
        year = check_year(values["year"])
        actions = [action for action in chosen if action and action != values["baseline"]]
        baseline = _record(request, caller, values["baseline"]) if values["baseline"] else None
        made = build_pack(str(body), baseline, [_record(request, caller, action) for action in actions],
                          _record(request, caller, values["mitigated"]) if values["mitigated"] in actions else None,
                          request.app.state.settings.capital_cost_per_place_gbp,
                          _outlook(request, caller, baseline, year))
    except PlacewiseError as refused:
        words = refused.message.split(": ", 1)[-1]
        errors[refused.field or "baseline"] = words[:1].upper() + words[1:]
        return page(request, "pack_form.html", 422, title="Reform plan pack", errors=errors, values=values,
                    runs=_runs(request, caller), forms=FORMS, years=YEAR_OPTIONS, default_year=DEFAULT_YEAR)
    if values["form"] == "pdf":
        return Response(pack_pdf(made), media_type="application/pdf", headers={
            "Content-Disposition": 'attachment; filename="reform-plan-pack.pdf"', "Cache-Control": "no-store"})
    if values["form"] == "xlsx":
        return download(pack_frames(made), "reform-plan-pack", "xlsx")
    return HTMLResponse(pack_html(made), headers={"Cache-Control": "no-store"})
