"""The local SEND reform plan pack for a council or a body: a form choosing the baseline run and the actions (runs of
the caller's councils), then the pack as a page (HTML), a PDF or an Excel workbook, built from the stored runs
(``scenarios.reports.reform_pack``); each run read is audited as an export. No baseline, no action or a bad name:
errors by field, nothing stored (a pack is read, never kept)."""

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response

from api.service.run_records import check_run_text, run_name
from api.service.scenario_jobs import ID_LENGTH, job_with_results, visible_jobs
from api.web.downloads import download
from api.web.render import page
from api.web.sessions import Planner
from core.errors import PlacewiseError
from scenarios.reports.names import change_words
from scenarios.reports.reform_pack import build_pack, pack_frames, pack_html, pack_pdf

router = APIRouter(include_in_schema=False)
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
    return {"name": run_name(job), "kpis": result.get("kpis", {}), "allocation": result.get("allocation", []),
            "deltas": spec.get("deltas") or [], "cost_basis": result.get("cost_basis"),
            "stored": bool((spec.get("cohort") or {}).get("children")), "councils": job.councils,
            "changes": [change_words(delta, names) for delta in spec.get("deltas") or []]}


@router.get("/packs")
def pack_form(request: Request, caller: Planner) -> Response:
    return page(request, "pack_form.html", title="Reform plan pack", errors={}, values={}, runs=_runs(request, caller),
                forms=FORMS)


@router.get("/packs/pack")
def pack(request: Request, caller: Planner) -> Response:
    """The pack, in the form asked for; the form again with errors by field where it cannot be made."""
    query = request.query_params
    chosen = [action[:ID_LENGTH] for action in query.getlist("actions")]
    values: dict = {"body": query.get("body", ""), "baseline": query.get("baseline", ""), "actions": chosen,
                    "mitigated": query.get("mitigated", ""), "form": query.get("form", "html")}
    errors: dict[str, str] = {}
    try:
        body = check_run_text(values["body"], "body", required=True)
        actions = [action for action in chosen if action and action != values["baseline"]]
        made = build_pack(str(body), _record(request, caller, values["baseline"]) if values["baseline"] else None,
                          [_record(request, caller, action) for action in actions],
                          _record(request, caller, values["mitigated"]) if values["mitigated"] in actions else None,
                          request.app.state.settings.capital_cost_per_place_gbp)
    except PlacewiseError as refused:
        words = refused.message.split(": ", 1)[-1]
        errors[refused.field or "baseline"] = words[:1].upper() + words[1:]
        return page(request, "pack_form.html", 422, title="Reform plan pack", errors=errors, values=values,
                    runs=_runs(request, caller), forms=FORMS)
    if values["form"] == "pdf":
        return Response(pack_pdf(made), media_type="application/pdf", headers={
            "Content-Disposition": 'attachment; filename="reform-plan-pack.pdf"', "Cache-Control": "no-store"})
    if values["form"] == "xlsx":
        return download(pack_frames(made), "reform-plan-pack", "xlsx")
    return HTMLResponse(pack_html(made), headers={"Cache-Control": "no-store"})
