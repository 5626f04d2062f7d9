"""A planner's pages: the forecast of EHC plans with a fan chart per council; the capacity plan and the sweep run as
jobs (``api.web.routes.plan_jobs``). They read the open data (SEN2, small areas), so on the embedded demo they say
so. The forecast and its charts are prepared once a data version in the background (``api.web.preparing``): until
they are ready the page says so and looks again by itself. Each is audited as a read of aggregates, a row per
council."""

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.platform.security.audit import audit_many
from api.web.render import page
from api.web.sessions import Planner
from scenarios.forecast import MAX_HORIZON, METHOD
from scenarios.forecast_store import StoredForecast, forecast_words, load_stored_forecast, stored_fan_chart

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
    forecast = prepared_forecast(request.app)
    charts = [] if forecast is None else [_council_chart(request, forecast, code, view.council_name(code), horizon)
                                          for code in councils if code in forecast.series.index]
    preparing = forecast is None or any(chart["chart"] is None for chart in charts)
    return page(request, "planning.html", title="Planning", demo=False, charts=charts, horizon=horizon,
                method=METHOD, preparing=preparing, forecast_ready=forecast is not None)


def prepared_forecast(app: FastAPI) -> StoredForecast | None:
    """Every council's forecast, once a data version (``scenarios.forecast_store``), or None while the background
    thread prepares it (it starts when the app does)."""
    data, cache = app.state.register.current().inputs.data_dir, app.state.settings.cache
    return app.state.preparer.ready(("forecast", data), lambda: load_stored_forecast(data, cache))


def _council_chart(request: Request, forecast: StoredForecast, code: str, name: str, horizon: int) -> dict:
    """A council's fan chart (None while it is drawn in the background), its words and its figures."""
    chart = request.app.state.preparer.ready(("fan chart", _data(request), code, horizon),
                                             lambda: stored_fan_chart(forecast, code, name, horizon))
    return {"name": name, "chart": chart, "words": forecast_words(forecast, code, name, horizon),
            "rows": forecast.ahead(code, horizon).reset_index().to_dict("records")}


@router.get("/planning/plan")
def capacity_plan(request: Request, caller: Planner) -> Response:
    """The capacity plan runs as a job now (it took seconds to minutes inside a request): its form."""
    return RedirectResponse("/planning/jobs/new", status_code=303)


@router.get("/planning/sweep")
def sweep(request: Request, caller: Planner) -> Response:
    """The sweep runs as a job with its plan: the form (give the sweep's draws)."""
    return RedirectResponse("/planning/jobs/new#sweep_draws", status_code=303)
