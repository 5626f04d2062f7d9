"""Capacity plans and sweeps as jobs for a planner: a library plan scenario with the planner's changes to its
``plan:`` (needs, year, unit size and cost, sites, travel cap, budget) and ``sweep:`` (draws), checked as a scenario
file is, queued for the councils it names (403 for others) and audited a row per council. A sweep draws from the
forecast of the open data (the SEN2 series): on the embedded demo, which has none, a plan runs on the demo's own
children (``scenarios.planning_run.demo_demand``) and a sweep is refused, saying so."""

from pathlib import Path

from fastapi import Request

from api.platform.jobs import queue as jobs
from api.platform.security.auth import Principal
from api.records.run_records import MAX_NAME
from api.records.scenario_jobs import audit_jobs, check_capacity_to_queue
from core.errors import Forbidden, PlacewiseError
from scenarios.schema import parse_scenario


def submit_plan(request: Request, caller: Principal, document: dict, kind: str, capital_per_place_gbp: float,
                name: str | None = None) -> str:
    """Queue a plan (``kind`` ``plan``) or a plan and its sweep (``sweep``); the job's id."""
    view = request.app.state.register.current()
    if view.inputs.data_dir is None and kind == "sweep":
        raise PlacewiseError("sweep_draws: a sweep draws demand from the forecast's range, and the demo has no "
                             "forecast (no SEN2 series); plan without a sweep here, or start the server with --data",
                             field="sweep_draws")
    if document.get("plan") is None or kind == "sweep" and document.get("sweep") is None:
        raise PlacewiseError(f"{'sweep' if document.get('plan') else 'plan'}: the scenario has no such section",
                             field="plan")
    scenario = parse_scenario({**document, "data": "demo"}, Path("plan"))
    if not all(caller.may_see(council) for council in scenario.councils):
        raise Forbidden("councils: the plan names councils you do not act for")
    check_capacity_to_queue(request, scenario.councils, request.app.state.settings.jobs_per_council)
    data = "demo" if view.inputs.data_dir is None else "server"  # the worker names the server's own data folder
    spec = {"job": kind, "scenario": {**document, "data": data}, "capital_cost_per_place_gbp":
            capital_per_place_gbp, "solver": {"time_limit_seconds": 1_800 if kind == "sweep" else 300}}
    title = name or f"{'Sweep' if kind == 'sweep' else 'Plan'}: {scenario.name}"
    with request.app.state.sessions.begin() as session:
        job_id = jobs.submit(request.app.state.engine, spec, caller.name, list(scenario.councils), session,
                             name=title[:MAX_NAME], kind=kind, description=scenario.description.strip() or None)
        audit_jobs(request, caller, "submit", [(job_id, list(scenario.councils))], session)
    return job_id
