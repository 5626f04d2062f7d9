"""A planner's pages: the forecast of EHC plans with a fan chart per council; the capacity plan and the sweep run as
jobs (``api.web.routes.plan_jobs``). They read the open data (SEN2, small areas), so on the embedded demo they say
so. Each is audited as a read of aggregates, a row per council."""

import functools
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.platform.security.audit import audit_many
from api.web.render import page
from api.web.sessions import Planner
from scenarios.forecast import MAX_HORIZON, forecast_plans
from scenarios.reports.charts import fan_chart

router = APIRouter(include_in_schema=False)


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
    charts, method = _forecast_charts(data, horizon, tuple(councils), tuple(view.council_name(c) for c in councils))
    return page(request, "planning.html", title="Planning", demo=False, charts=charts, horizon=horizon,
                method=method)


@functools.lru_cache(maxsize=32)
def _forecast_charts(data: Path, horizon: int, councils: tuple[str, ...], names: tuple[str, ...],
                     ) -> tuple[list[dict], str]:
    """The forecast and a fan chart a council, drawn once a server for each data folder, horizon and set of
    councils (the published series does not change while the server runs): a second visit answers at once."""
    if not councils:
        return [], ""
    from geodata.sen2 import load_plan_series

    forecast = forecast_plans(data, horizon, list(councils))
    series = load_plan_series(data)
    charts = []
    for code, name in zip(councils, names, strict=True):
        ahead = forecast.totals[forecast.totals["council"] == code].set_index("year").sort_index()
        last = ahead.iloc[-1]
        charts.append({"name": name, "chart": fan_chart(series.loc[code].dropna(), ahead, name),
                       "rows": ahead.reset_index().to_dict("records"),
                       "words": f"{name}: {series.loc[code, 2025]:,.0f} plans in January 2025, forecast "
                                f"{last['plans']:,.0f} in January {int(ahead.index[-1])} (80% range "
                                f"{last['low80']:,.0f} to {last['high80']:,.0f})"})
    return charts, forecast.method


@router.get("/planning/plan")
def capacity_plan(request: Request, caller: Planner) -> Response:
    """The capacity plan runs as a job now (it took seconds to minutes inside a request): its form."""
    return RedirectResponse("/planning/jobs/new", status_code=303)


@router.get("/planning/sweep")
def sweep(request: Request, caller: Planner) -> Response:
    """The sweep runs as a job with its plan: the form (give the sweep's draws)."""
    return RedirectResponse("/planning/jobs/new#sweep_draws", status_code=303)
