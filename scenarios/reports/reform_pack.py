"""The local SEND reform plan pack for a council or a body: from a chosen baseline run and a set of actions (runs of
scenarios that change it), one document with the numbers each part rests on, as the DfE's feedback on councils'
plans asks ("the data supports the narrative", "the expected impact of mitigation"):

- the baseline forecast of plans in the pack's year and the mitigated forecast (the actions' demand changes applied),
  side by side by need and by age band (``scenarios.reports.pack_forecast``, which says how each action moves it);
- the baseline and the mitigated outcome (the run with the actions together) side by side, by need and by age band;
- an assumptions register, each assumption with its source;
- each action's impact on places, cost and journeys, against the baseline;
- the specialist capacity the forecast needs by the pack's year, against the places the actions add or remove, and
  the children the baseline leaves without a place.

Runs are given as plain records (``name``, ``kpis``, ``allocation`` rows, ``deltas``, ``cost_basis``), so the pack
reads no store; the HTML is a Jinja2 template (``templates/reform_pack.html.j2``), the PDF WeasyPrint's.
"""

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.errors import PlacewiseError
from scenarios.finance import CAPITAL_COST_PER_PLACE_GBP, CAPITAL_SOURCE, capital_and_payback, new_places
from scenarios.kpis import INDEPENDENT_KINDS
from scenarios.reports.pack_forecast import (
    NO_OUTLOOK,
    Outlook,
    forecast_assumptions,
    forecast_frames,
    own_deltas,
    summarise_forecast,
)
from scenarios.reports.pack_groups import BAND_ORDER, age_band, need_words

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                           undefined=StrictUndefined)


def outcome_table(rows: list[dict], by: str) -> pd.DataFrame:
    """Children, placed, placed in independent or non-maintained special schools, and whole cost a year, by need
    (``by="need"``) or age band (``by="age"``)."""
    frame = pd.DataFrame(rows, columns=["child_id", "primary_need", "provider_id", "kind", "age",
                                        "placement_cost_gbp", "transport_cost_gbp"])
    placed = pd.to_numeric(frame["provider_id"], errors="coerce").fillna(-1) >= 0
    key = frame["primary_need"].map(need_words) if by == "need" else frame["age"].map(age_band)
    cost = frame[["placement_cost_gbp", "transport_cost_gbp"]].apply(pd.to_numeric, errors="coerce").sum(axis=1)
    table = pd.DataFrame({"group": key, "children": 1, "placed": placed.astype(int),
                          "independent": (placed & frame["kind"].isin(INDEPENDENT_KINDS)).astype(int),
                          "cost": cost.where(placed, 0.0)}).groupby("group").sum()
    return table


def side_by_side(baseline: list[dict], mitigated: list[dict], by: str) -> list[dict]:
    """The baseline and the mitigated outcome by group, with the differences."""
    first, second = outcome_table(baseline, by), outcome_table(mitigated, by)
    groups = list(dict.fromkeys([*first.index, *second.index]))
    if by == "age":
        groups = [group for group in BAND_ORDER if group in groups]
    else:
        groups.sort()
    both = first.reindex(groups, fill_value=0).add_suffix("_baseline").join(
        second.reindex(groups, fill_value=0).add_suffix("_mitigated"))
    return [{"group": group, **{key: float(value) for key, value in row.items()}} for group, row in both.iterrows()]


def _figures(kpis: Mapping) -> dict:
    return {name: float(kpis.get(name) or 0.0) for name in ("children", "placed", "annual_cost_gbp",
                                                            "travel_minutes_mean", "out_of_area_share",
                                                            "independent_share")}


def build_pack(body: str, baseline: Mapping | None, actions: list[Mapping], mitigated: Mapping | None = None,
               capital_per_place_gbp: float | None = None, outlook: Outlook = NO_OUTLOOK) -> dict:
    """The pack's content; ``PlacewiseError`` naming the field where there is no baseline or no action.

    ``outlook`` is the pack's year, the forecast of plans for the baseline's councils to that year (None where there
    is none) and why not (``scenarios.reports.pack_forecast.forecast_for_pack``)."""
    if baseline is None:
        raise PlacewiseError("baseline: choose the run the plan starts from (a finished run of your councils)",
                             field="baseline")
    if not actions:
        raise PlacewiseError("actions: choose at least one run of an action (a scenario that changes the baseline)",
                             field="actions")
    mitigated = mitigated or actions[-1]
    base = _figures(baseline["kpis"])
    impacts = []
    for action in actions:
        figures = _figures(action["kpis"])
        saving = base["annual_cost_gbp"] - figures["annual_cost_gbp"]
        changes = own_deltas(action, baseline)
        added = new_places(changes)
        closed = sum(1 for delta in changes if delta.get("close") is not None)
        impacts.append({"name": action["name"], "changes": action.get("changes", []),
                        "placed": figures["placed"] - base["placed"], "cost": figures["annual_cost_gbp"]
                        - base["annual_cost_gbp"], "journey": figures["travel_minutes_mean"]
                        - base["travel_minutes_mean"], "out_of_area_points": 100 * (figures["out_of_area_share"]
                                                                                     - base["out_of_area_share"]),
                        "places_added": added, "settings_closed": closed,
                        "capital": capital_and_payback(added, saving, capital_per_place_gbp)
                        if capital_per_place_gbp else capital_and_payback(added, saving)})
    unplaced = baseline["kpis"].get("unplaced_by_reason", {})
    return {"body": body, "baseline": {"name": baseline["name"], **base}, "mitigated": {
        "name": mitigated["name"], **_figures(mitigated["kpis"])}, "by_need": side_by_side(
        baseline["allocation"], mitigated["allocation"], "need"), "by_age": side_by_side(
        baseline["allocation"], mitigated["allocation"], "age"), "impacts": impacts,
        "capacity_needed": int(unplaced.get("capacity", 0)), "no_candidate": int(unplaced.get("no_candidate", 0)),
        "forecast": summarise_forecast(outlook.forecast, outlook.reason, outlook.year, baseline, mitigated, actions),
        "assumptions": assumptions(baseline, capital_per_place_gbp) + forecast_assumptions(outlook)}


def assumptions(baseline: Mapping, capital_per_place_gbp: float | None) -> list[dict]:
    """Each assumption the pack rests on, with its source."""
    kpis, basis = baseline["kpis"], baseline.get("cost_basis") or {}
    found: list[dict] = [
        {"assumption": "Children and their needs", "value": f"{kpis.get('children', 0):,.0f} children",
         "source": str(kpis.get("data", "the run's data")) + (
             "; a synthetic cohort matching SEN2 January 2025 specialist placements by age and type"
             if not baseline.get("stored") else "; the councils' stored children (their SEN2 return)")},
        {"assumption": "Journeys", "value": str(kpis.get("travel_model", "the national travel model")),
         "source": "car minutes estimated from distance and density, fitted on routed journeys"},
        {"assumption": "Annual cost of a place", "value": f"s251 outturn {basis.get('s251_year', '2023-24')} over "
         f"SEN2 {basis.get('sen2_census', 'January 2024')} plans", "source": str(basis.get("source", "national"))},
        {"assumption": "Capital cost of a new place", "unit": "£ a place",
         "value": round(capital_per_place_gbp or CAPITAL_COST_PER_PLACE_GBP),
         "source": CAPITAL_SOURCE if not capital_per_place_gbp or capital_per_place_gbp == CAPITAL_COST_PER_PLACE_GBP
         else "configured by the council"}]
    found += [{"assumption": "ILLUSTRATIVE", "value": item, "source": "an assumption, not a published figure"}
              for item in basis.get("illustrative", [])]
    return found


def pack_html(pack: dict) -> str:
    """The pack as one HTML document (printable; the PDF's source)."""
    footer = f"Reform plan pack: {pack['body']}"
    return _ENVIRONMENT.get_template("reform_pack.html.j2").render(pack=pack, footer=footer)


def pack_pdf(pack: dict) -> bytes:
    from weasyprint import HTML  # a heavy import, made only when a PDF is asked for

    return HTML(string=pack_html(pack), base_url=str(TEMPLATES)).write_pdf()


def pack_frames(pack: dict) -> dict[str, pd.DataFrame]:
    """The pack as tables with numbers as numbers and units in headers, for its Excel workbook."""
    def groups(rows: list[dict], label: str) -> pd.DataFrame:
        return pd.DataFrame([{label: row["group"], "children, baseline": int(row["children_baseline"]),
                              "children, mitigated": int(row["children_mitigated"]),
                              "placed, baseline": int(row["placed_baseline"]),
                              "placed, mitigated": int(row["placed_mitigated"]),
                              "in independent schools, baseline": int(row["independent_baseline"]),
                              "in independent schools, mitigated": int(row["independent_mitigated"]),
                              "whole cost a year, baseline (£)": round(row["cost_baseline"]),
                              "whole cost a year, mitigated (£)": round(row["cost_mitigated"])} for row in rows])

    moves = {row["name"]: row["effects"] for row in pack["forecast"]["effects"]}
    impacts = pd.DataFrame([{"action": row["name"], "what it changes": moves.get(row["name"], ""),
                             "children placed, difference": int(row["placed"]),
                             "whole cost a year, difference (£)": round(row["cost"]),
                             "average journey, difference (minutes)": round(row["journey"], 1),
                             "placed outside their council, difference (points)": round(row["out_of_area_points"], 1),
                             "specialist places added": row["places_added"], "settings closed": row["settings_closed"],
                             "capital cost (£)": round(row["capital"]["capital_gbp"]) if row["capital"] else None,
                             "payback (years)": round(row["capital"]["payback_years"], 1)
                             if row["capital"] and row["capital"]["payback_years"] else None}
                            for row in pack["impacts"]])
    return {**forecast_frames(pack["forecast"]),
            "By need": groups(pack["by_need"], "need"), "By age band": groups(pack["by_age"], "age band"),
            "Actions": impacts, "Assumptions": pd.DataFrame(pack["assumptions"],
                                                            columns=["assumption", "value", "unit", "source"])}
