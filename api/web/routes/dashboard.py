"""The 0-25 dashboard: each of the caller's councils beside its region and England, its plans by age band and over
the years, and its statistical neighbours (``scenarios.dashboard``). The tables are prepared once a data folder in
the background (``api.web.preparing``): until they are ready the page says so and looks again by itself."""

import functools
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import Response

from api.platform.security.audit import audit_many
from api.web.render import page
from api.web.sessions import Planner
from scenarios.ap_scenario import history_flows, load_history
from scenarios.dashboard import CouncilDetail, Dashboard, build_dashboard, council_detail, council_view
from scenarios.neighbours import NEIGHBOUR_COUNT, NEIGHBOUR_MEASURES
from scenarios.reports.charts import line_chart

router = APIRouter(include_in_schema=False)


def prepared_dashboard(app: FastAPI) -> Dashboard | None:
    """Every council's figures, or None while the background thread prepares them (it starts when the app does)."""
    data = app.state.register.current().inputs.data_dir
    return app.state.preparer.ready(("dashboard", data), lambda: build_dashboard(data))


@functools.lru_cache(maxsize=2)
def _history_flows(path: Path) -> pd.DataFrame:
    return history_flows(load_history(path))


def _ap_flows(path: Path | None, council: str | None) -> list[dict]:
    """The council's AP flows by school year from the councils' own placements (none without the setting)."""
    if path is None or council is None:
        return []
    flows = _history_flows(path)
    if council not in flows.index.get_level_values("council"):
        return []
    return [{"school_year": year, **row} for year, row in flows.loc[council].to_dict("index").items()]


@functools.lru_cache(maxsize=64)
def _trend_chart(dashboard: Dashboard, council: str) -> tuple[CouncilDetail, str]:
    """A council's detail and its trend chart, drawn once a server (the published series does not change)."""
    detail = council_detail(dashboard, council)
    index = detail.trend.xs("index", axis=1, level=1)
    return detail, line_chart(index, "EHC plans each January, as an index of January 2019 (= 100)", "index")


def _trend_words(detail: CouncilDetail) -> str:
    """The trend chart's figures in a sentence, for its alternative text."""
    first, last = detail.trend.index[0], detail.trend.index[-1]
    growth = [f"{area} {detail.trend.loc[last, (area, 'index')]:.0f}" for area in detail.areas
              if pd.notna(detail.trend.loc[last, (area, "index")])]
    return (f"EHC plans each January from {first} to {last} as an index of {first} (= 100). In {last}: "
            f"{', '.join(growth) or 'no index (the council was formed later)'}. The figures are in the table below.")


def _age_rows(detail: CouncilDetail) -> list[dict]:
    """Each age band's plans and shares, the council's region's and England's beside its own, as table rows."""
    ages = detail.ages
    return [{"band": band, "plans_2024": ages.loc[band, (detail.areas[0], "plans_2024")],
             "areas": [{"plans": ages.loc[band, (area, "plans")], "share": ages.loc[band, (area, "share")]}
                       for area in detail.areas]} for band in ages.index]


def _trend_rows(detail: CouncilDetail) -> list[dict]:
    return [{"year": year, "areas": [{"plans": detail.trend.loc[year, (area, "plans")],
                                      "index": detail.trend.loc[year, (area, "index")]} for area in detail.areas]}
            for year in detail.trend.index]


@router.get("/dashboard")
def dashboard(request: Request, caller: Planner, council: str | None = None) -> Response:
    view = request.app.state.register.current()
    data = view.inputs.data_dir
    if data is None:
        return page(request, "dashboard.html", title="0-25 dashboard", demo=True)
    mine = sorted(view.councils) if caller.role == "admin" else [c for c in caller.councils if c in view.councils]
    chosen = council if council in mine else (mine[0] if mine else None)
    audit_many(request, caller, "read", "dashboard", [(None, chosen)])
    built = prepared_dashboard(request.app)
    if built is None:
        return page(request, "dashboard.html", title="0-25 dashboard", demo=False, preparing=True, chosen=chosen)
    rows = council_view(built, chosen) if chosen is not None and chosen in built.rows.index else None
    detail, chart = _trend_chart(built, chosen) if rows is not None else (None, None)
    return page(request, "dashboard.html", title="0-25 dashboard", demo=False, preparing=False,
                chosen=chosen if rows is not None else None,
                ap_flows=_ap_flows(request.app.state.settings.ap_history, chosen),
                councils=[(code, view.council_name(code)) for code in mine],
                areas=list(rows.index) if rows is not None else [],
                figures=rows.to_dict("index") if rows is not None else {}, detail=detail, trend_chart=chart,
                age_rows=_age_rows(detail) if detail else [], trend_rows=_trend_rows(detail) if detail else [],
                neighbours=detail.neighbours.to_dict("index") if detail else {},
                trend_words=_trend_words(detail) if detail else "", measures=NEIGHBOUR_MEASURES,
                neighbour_count=NEIGHBOUR_COUNT)
