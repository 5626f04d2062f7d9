"""The 0-25 dashboard: each of the caller's councils beside its region and England (``scenarios.dashboard``)."""

import functools
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Request
from starlette.responses import Response

from api.platform.security.audit import audit_many
from api.web.render import page
from api.web.sessions import Planner
from scenarios.ap_scenario import history_flows, load_history
from scenarios.dashboard import Dashboard, build_dashboard, council_view

router = APIRouter(include_in_schema=False)


@functools.lru_cache(maxsize=2)
def _dashboard(data_dir: Path) -> Dashboard:
    return build_dashboard(data_dir)


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


@router.get("/dashboard")
def dashboard(request: Request, caller: Planner, council: str | None = None) -> Response:
    view = request.app.state.register.current()
    data = view.inputs.data_dir
    if data is None:
        return page(request, "dashboard.html", title="0-25 dashboard", demo=True)
    mine = sorted(view.councils) if caller.role == "admin" else [c for c in caller.councils if c in view.councils]
    chosen = council if council in mine else (mine[0] if mine else None)
    built = _dashboard(data)
    rows = council_view(built, chosen) if chosen else None
    audit_many(request, caller, "read", "dashboard", [(None, chosen)])
    return page(request, "dashboard.html", title="0-25 dashboard", demo=False, chosen=chosen,
                ap_flows=_ap_flows(request.app.state.settings.ap_history, chosen),
                councils=[(code, view.council_name(code)) for code in mine],
                areas=list(rows.index) if rows is not None else [],
                figures=rows.to_dict("index") if rows is not None else {})
