"""A finished scenario job's results and two runs compared, shaped for people: councils and settings by name,
KPIs in words with their units, the unplaced with their reasons, the cost basis and the budget in a finance
officer's words. Tables hold numbers as numbers (units in their headers), rounded as the output contract says, so
a download sums in a spreadsheet."""

import pandas as pd

from api.platform.store.models import Job
from api.records.register import RegisterView
from core.vocabulary import KIND_WORDS, NEED_WORDS
from matcher.precision import round_frame
from matcher.rules import REASON_WORDS as RULE_WORDS
from scenarios.finance import budget_statement
from scenarios.kpis import HEADLINE, KPI_WORDS
from scenarios.reports.charts import bar_chart, histogram_chart
from scenarios.reports.names import change_words, rules_worded, settings_named

REASON_WORDS = {"no_candidate_within_cap": "No suitable setting within the travel cap",
                "no_candidate": "No setting passes the rules", "capacity": "Suitable settings are full",
                "budget": "The budget did not allow it", "policy_constraint": "A policy limit did not allow it",
                "no_solution": "The solver found no allocation"}
UNPLACED_SHOWN = 100
#: Each headline KPI's unit, as a download's "unit" column says it; shares are written as percentages.
KPI_UNITS = {"children": "children", "placed": "children", "unplaced": "children", "travel_minutes_mean": "minutes",
             "travel_minutes_p95": "minutes", "annual_cost_gbp": "£ a year", "placement_cost_gbp": "£ a year",
             "transport_cost_gbp": "£ a year", "mean_score": "score (0 to 1)"}
PERCENT = "%"


def kpi_unit(name: str) -> str:
    return PERCENT if name.endswith("_share") else KPI_UNITS.get(name, "")


def kpi_number(name: str, value: float) -> float | int:
    """A KPI as a download holds it: shares as percentages to 0.1, pounds and children whole, minutes to 0.1."""
    if name.endswith("_share"):
        return round(100 * float(value), 1)
    if name.endswith("_gbp") or kpi_unit(name) == "children":
        return int(round(float(value)))
    if name == "mean_score":
        return round(float(value), 3)
    return round(float(value), 1)


def _names(view: RegisterView) -> dict[int, str]:
    return {int(urn): str(name) for urn, name in view.inputs.providers["name"].items()}


def _allocation(view: RegisterView, rows: list[dict], names: dict[int, str]) -> pd.DataFrame:
    """Each child's row with names and units: where placed, the journey, and what it costs a year."""
    frame = pd.DataFrame(rows)
    for column in ("primary_need", "kind", "distance_km", "placement_cost_gbp", "transport_cost_gbp"):
        if column not in frame:  # runs kept before these columns were
            frame[column] = None
    if not len(frame):
        frame = pd.DataFrame(columns=["child_id", "home_council", "provider_id", "travel_minutes", "primary_need",
                                      "kind", "distance_km", "placement_cost_gbp", "transport_cost_gbp"])
    placed = pd.to_numeric(frame["provider_id"], errors="coerce").fillna(-1).astype(int)
    provider = placed.where(placed >= 0).astype("Int64")
    costs = frame[["placement_cost_gbp", "transport_cost_gbp"]].apply(pd.to_numeric, errors="coerce")
    whole = costs.sum(axis=1, min_count=1).where(provider.notna())
    table = pd.DataFrame({
        "child_id": frame["child_id"], "home council": frame["home_council"].map(view.council_name),
        "primary need": frame["primary_need"].map(lambda need: NEED_WORDS.get(str(need), need) if need else None),
        "setting": placed.map(names), "provider_id": provider,
        "kind of setting": frame["kind"].map(lambda kind: KIND_WORDS.get(str(kind), kind) if kind else None),
        "setting's council": placed.map(view.inputs.providers["host_council"]).map(
            lambda code: view.council_name(code) if isinstance(code, str) else None),
        "travel_minutes": pd.to_numeric(frame["travel_minutes"], errors="coerce").where(provider.notna()),
        "distance_km": pd.to_numeric(frame["distance_km"], errors="coerce").where(provider.notna()),
        "placement_cost_gbp": costs["placement_cost_gbp"].where(provider.notna()),
        "transport_cost_gbp": costs["transport_cost_gbp"].where(provider.notna()), "whole_cost_gbp": whole})
    return round_frame(table).rename(columns={
        "travel_minutes": "journey each way (minutes)", "distance_km": "distance (km)",
        "placement_cost_gbp": "placement a year (£)", "transport_cost_gbp": "transport a year (£)",
        "whole_cost_gbp": "whole cost a year (£)"})


def results_frames(view: RegisterView, job: Job) -> dict[str, pd.DataFrame]:
    """The job's results as tables with names and units: KPIs, by council, the allocation, the unplaced, and the
    cost basis."""
    result, names = job.result or {}, _names(view)
    kpis = result.get("kpis", {})
    headline = pd.DataFrame([{"figure": KPI_WORDS[name], "value": kpi_number(name, kpis[name]),
                              "unit": kpi_unit(name)}
                             for name, _ in HEADLINE if isinstance(kpis.get(name), int | float)],
                            columns=["figure", "value", "unit"])
    councils = pd.DataFrame([{"council": view.council_name(code), "code": code, "children": row["children"],
                              "placed": row["placed"],
                              "placed outside the council (%)": round(100 * row["out_of_area_share"], 1),
                              "whole cost a year (£)": int(round(row["annual_cost_gbp"]))}
                             for code, row in kpis.get("by_council", {}).items()])
    unplaced = pd.DataFrame(result.get("unplaced", []))
    if len(unplaced):
        unplaced = unplaced.assign(
            council=unplaced.get("home_council", pd.Series(dtype=str)).map(view.council_name),
            why=unplaced["reason"].map(lambda reason: REASON_WORDS.get(str(reason), str(reason))),
            detail=unplaced.get("detail", pd.Series("", index=unplaced.index)).fillna("").map(
                lambda text: rules_worded(settings_named(str(text), names), RULE_WORDS)))
    return {"Key figures": headline, "By council": councils,
            "Allocation": _allocation(view, result.get("allocation", []), names), "Unplaced": unplaced,
            "Cost basis": cost_basis_frame(result.get("cost_basis"))}


def map_frame(view: RegisterView, job: Job) -> pd.DataFrame:
    """Each child's home council, setting and the setting's council, as codes (for the map)."""
    frame = pd.DataFrame((job.result or {}).get("allocation", []), columns=["home_council", "provider_id"])
    placed = pd.to_numeric(frame["provider_id"], errors="coerce").fillna(-1).astype(int)
    return frame.assign(provider_id=placed.where(placed >= 0),
                        host_council=placed.map(view.inputs.providers["host_council"]))


def cost_basis_frame(basis: dict | None) -> pd.DataFrame:
    """The cost basis as rows of (item, value, unit, note)."""
    if not basis:
        return pd.DataFrame([{"item": "Cost basis", "value": None, "unit": "",
                              "note": "not recorded for this run (it ran before runs kept it); run it again"}])
    rows = [{"item": "s251 outturn year", "value": basis["s251_year"], "unit": "", "note": basis["source"]},
            {"item": "SEN2 census", "value": basis["sen2_census"], "unit": "", "note": "plans the spend is divided by"},
            {"item": "Councils with figures of their own", "value": basis["councils_with_own_figures"],
             "unit": "councils", "note": "the others take the national figure"}]
    rows += [{"item": f"A place: {KIND_WORDS.get(kind, kind)}", "value": cost, "unit": "£ a year",
              "note": "national figure"} for kind, cost in basis["national_cost_by_kind_gbp"].items()]
    rows += [{"item": "Transport: the average 14.5 km journey", "value": basis["transport_journey_gbp"],
              "unit": "£ a year", "note": "national figure, scaled by distance"},
             {"item": "Value-for-money band (a state special place)", "value": basis["value_band_gbp"],
              "unit": "£ a year", "note": "national figure"}]
    if basis.get("price_bands"):
        bands = basis["price_bands"]
        rows.append({"item": "Price bands of packages", "value": "capped" if bands["capped"] else "judged against",
                     "unit": "", "note": ("ILLUSTRATIVE: " if bands["illustrative"] else "") + bands["source"]})
    if basis.get("tariff"):
        rows.append({"item": "Your tariff", "value": "applied", "unit": "", "note": "overrides the figures above"})
    return pd.DataFrame(rows, columns=["item", "value", "unit", "note"])


def results_view(view: RegisterView, job: Job) -> dict:
    frames = results_frames(view, job)
    unplaced = frames["Unplaced"]
    spec = job.spec or {}
    kpis = (job.result or {}).get("kpis", {})
    shown = [form.format(kpis[name]) for name, form in HEADLINE if isinstance(kpis.get(name), int | float)]
    headline = [{**row, "shown": words} for row, words in zip(frames["Key figures"].to_dict("records"), shown,
                                                               strict=True)]
    return {"headline": headline, "by_council": frames["By council"].to_dict("records"),
            "unplaced": unplaced.head(UNPLACED_SHOWN).to_dict("records") if len(unplaced) else [],
            "unplaced_count": len(unplaced), "changes": [change_words(delta, _names(view))
                                                         for delta in spec.get("deltas") or []],
            "councils": ", ".join(view.council_name(code) for code in job.councils),
            "solver": kpis.get("solver", {}), "cost_basis": (job.result or {}).get("cost_basis"),
            "budget": _named_budget(view, budget_statement(kpis, spec.get("policy") or {})),
            "solved": solved_words(kpis.get("solver", {})), "charts": result_charts(frames)}


def result_charts(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """The pictures a person would rather look at than read: whole cost by council, and the journeys' spread (each
    with its words for those who cannot see it)."""
    charts = []
    councils = frames["By council"]
    if len(councils):
        cost = councils.set_index("council")["whole cost a year (£)"] / 1e6
        charts.append({"image": bar_chart(cost, "Whole cost a year by home council", "£ million a year"),
                       "words": "Whole cost a year by home council: " + "; ".join(
                           f"{name} £{value:,.1f} million" for name, value in cost.items())})
    minutes = frames["Allocation"]["journey each way (minutes)"].dropna().astype(float)
    if len(minutes):
        charts.append({"image": histogram_chart(minutes, "Journeys each way", "minutes"),
                       "words": f"Journeys each way of the {len(minutes):,} children placed: half under "
                                f"{minutes.median():.1f} minutes, 9 in 10 under {minutes.quantile(0.9):.1f}, the "
                                f"longest {minutes.max():.1f}"})
    return charts


def _named_budget(view: RegisterView, statement: dict | None) -> dict | None:
    if statement is None:
        return None
    return {**statement, "council_budgets_named": {view.council_name(code): amount for code, amount in
                                                   statement["council_budgets_gbp"].items()}}


METHOD_WORDS = {"flow": "a minimum-cost flow", "lagrangian": "a search for the best allocation within the budget",
                "mip": "a mixed-integer programme (HiGHS)"}


def solved_words(solver: dict) -> str:
    """How the allocation was found, in words: the method and how good the answer is proven to be."""
    method = METHOD_WORDS.get(str(solver.get("method")), str(solver.get("method", "the solver")))
    status = solver.get("status")
    if status == "optimal":
        return f"Found by {method}: the best allocation there is under these rules."
    if status == "feasible":
        gap = solver.get("gap")
        within = f", proven within {100 * float(gap):.2f}% of the best" if isinstance(gap, int | float) else ""
        return f"Found by {method}: a good allocation, not proven the best{within}, in the time allowed."
    return f"Found by {method}: {str(status or 'no status').replace('_', ' ')}."
