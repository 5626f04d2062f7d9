"""A planner's pages: the forecast of EHC plans with a fan chart per council, the capacity plan (sites by name and
why each was chosen) and the sweep of plans over the forecast's uncertainty. They read the open data (SEN2, small
areas), so on the embedded demo they say so. Each is audited as a read of aggregates, a row per council."""

import functools
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Request
from starlette.responses import Response

from api.service.security.audit import audit_many
from api.web.render import page
from api.web.sessions import Planner
from scenarios.forecast import MAX_HORIZON, forecast_plans
from scenarios.reports.charts import fan_chart
from scenarios.schema import load_scenario

router = APIRouter(include_in_schema=False)
PLAN = Path(__file__).resolve().parents[3] / "scenarios" / "library" / "north-east-plan.yaml"
SWEEP_DRAWS = 3  # the pages' sweep: a few draws, one after another (the command line runs the whole sweep on Dask)


def _data(request: Request) -> Path | None:
    return request.app.state.register.current().inputs.data_dir


def _councils(request: Request, caller) -> list[str]:  # type: ignore[no-untyped-def]
    view = request.app.state.register.current()
    return sorted(view.councils) if caller.role == "admin" else [c for c in caller.councils if c in view.councils]


@router.get("/planning")
def planning(request: Request, caller: Planner, horizon: int = 3) -> Response:
    data = _data(request)
    if data is None:
        return page(request, "planning.html", title="Planning", demo=True)
    horizon = max(1, min(horizon, MAX_HORIZON))
    view = request.app.state.register.current()
    councils = _councils(request, caller)[:12]
    audit_many(request, caller, "read", "forecast", [(None, code) for code in councils] or [(None, None)])
    charts = []
    if councils:
        forecast = forecast_plans(data, horizon, councils)
        from geodata.sen2 import load_plan_series

        series = load_plan_series(data)
        for code in councils:
            ahead = forecast.totals[forecast.totals["council"] == code].set_index("year").sort_index()
            name = view.council_name(code)
            last = ahead.iloc[-1]
            charts.append({"name": name, "chart": fan_chart(series.loc[code].dropna(), ahead, name),
                           "rows": ahead.reset_index().to_dict("records"),
                           "words": f"{name}: {series.loc[code, 2025]:,.0f} plans in January 2025, forecast "
                                    f"{last['plans']:,.0f} in January {int(ahead.index[-1])} (80% range "
                                    f"{last['low80']:,.0f} to {last['high80']:,.0f})"})
    return page(request, "planning.html", title="Planning", demo=False, charts=charts, horizon=horizon,
                method=forecast.method if councils else "")


@functools.lru_cache(maxsize=2)
def _plan(data_dir: Path):  # type: ignore[no-untyped-def]
    from scenarios.planning_run import run_plan

    return run_plan(load_scenario(PLAN).model_copy(update={"data": str(data_dir)}))


@functools.lru_cache(maxsize=2)
def _sweep(data_dir: Path):  # type: ignore[no-untyped-def]
    from scenarios.sweep import run_sweep

    scenario = load_scenario(PLAN).model_copy(update={"data": str(data_dir)})
    assert scenario.sweep is not None
    small = scenario.sweep.model_copy(update={"draws": SWEEP_DRAWS})
    return run_sweep(scenario.model_copy(update={"sweep": small}), sequential=True)


def _allowed(request: Request, caller) -> tuple[Path | None, bool]:  # type: ignore[no-untyped-def]
    councils = load_scenario(PLAN).councils
    return _data(request), all(caller.may_see(code) for code in councils)


@router.get("/planning/plan")
def capacity_plan(request: Request, caller: Planner) -> Response:
    data, allowed = _allowed(request, caller)
    if data is None or not allowed:
        return page(request, "planning.html", title="Capacity plan", demo=data is None, not_yours=not allowed)
    run = _plan(data)
    audit_many(request, caller, "read", "plan", [(None, code) for code in run.scenario.councils])
    view = request.app.state.register.current()
    flows = run.plan.flows.join(run.instance.demand[["council", "need"]], on="demand_id")
    sited = flows[flows["kind"] == "site"]
    sites = []
    for site in run.plan.sites:
        served = sited[sited["facility_id"] == site]
        by_council = served.groupby("council")["children"].sum().sort_values(ascending=False)
        needs = served.groupby("need")["children"].sum().sort_values(ascending=False)
        sites.append({"name": str(run.instance.sites.at[site, "name"]), "children": int(served["children"].sum()),
                      "councils": ", ".join(f"{view.council_name(c)} {n:,.0f}" for c, n in by_council.items()),
                      "needs": ", ".join(f"{need} {n:,.0f}" for need, n in needs.items())})
    return page(request, "plan.html", title="Capacity plan", run=run, sites=sites,
                councils=", ".join(view.council_name(code) for code in run.scenario.councils))


@router.get("/planning/sweep")
def sweep(request: Request, caller: Planner) -> Response:
    data, allowed = _allowed(request, caller)
    if data is None or not allowed:
        return page(request, "planning.html", title="Sweep", demo=data is None, not_yours=not allowed)
    result = _sweep(data)
    plan = _plan(data)
    audit_many(request, caller, "read", "sweep", [(None, code) for code in plan.scenario.councils])
    names = {str(site): str(name) for site, name in plan.instance.sites["name"].items()}
    frequency = [{"name": names.get(str(site), str(site)), "share": share}
                 for site, share in result.site_frequency.head(15).items()]
    variants = result.variants
    spread = pd.DataFrame({"cost": variants["total_cost_gbp"], "left": variants["fallback_children"]})
    return page(request, "sweep.html", title="Sweep of capacity plans", frequency=frequency, count=len(variants),
                low=spread.quantile(0.05), mid=spread.median(), high=spread.quantile(0.95), draws=SWEEP_DRAWS)
