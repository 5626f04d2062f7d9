"""The reform plan pack's forecast: EHC plans in the pack's year for the baseline run's councils, as forecast
(``scenarios.forecast``) and as mitigated by the actions, side by side by need and by age band; and the specialist
capacity the forecast needs, against the places the actions add or remove.

How an action moves the forecast (nothing else is assumed):

- a **demand change** (``demand_growth: {NEED: rate}``) multiplies the forecast plans of that need, at every age,
  by ``1 + rate``: ``mitigated[need, age] = forecast[need, age] * prod(1 + rate)``, as a run grows or shrinks its
  cohort of the need by resampling children of that need (so the ages keep their mix);
- a **new setting, an expansion or places for a need** (``open``, ``expand``, ``add_places``) and a **closure**
  (``close``: the setting's places in the register) change specialist capacity only, never the forecast;
- a **quota** or a **price cap** (``quota``, ``cap_prices``) changes neither: who may use places, or what they cost.

Specialist places needed grow with the forecast plans of the same need, the share of plans in a specialist place
held at the baseline run's: ``needed[need] = children[need] * forecast[year, need] / forecast[2025, need]``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from core.errors import PlacewiseError
from scenarios.finance import new_places
from scenarios.forecast import MAX_HORIZON, Forecast, forecast_plans
from scenarios.reports.pack_groups import BAND_ORDER, age_band, need_words

BASE_YEAR = 2025
YEARS = tuple(range(BASE_YEAR + 1, BASE_YEAR + MAX_HORIZON + 1))
SOURCE = ("SEN2 (DfE, Education, health and care plans): plans by council in January 2019-2025, by age in January "
          "2024 and 2025, by primary need in January 2025")
DEFAULT_YEAR = 2028
Effect = Literal["demand", "capacity", "neither"]
EFFECT_WORDS = {("demand",): "changes the forecast demand only",
                ("capacity",): "changes specialist capacity only, not the forecast",
                ("capacity", "demand"): "changes the forecast demand (its demand changes) and specialist capacity "
                                        "(its new, expanded or closed settings)",
                ("neither",): "changes neither the forecast nor capacity (who may use places, or prices)"}


@dataclass(frozen=True, eq=False)
class Outlook:
    """The pack's year and the forecast of plans to it, or None and why there is none."""

    year: int
    forecast: Forecast | None
    reason: str


NO_OUTLOOK = Outlook(DEFAULT_YEAR, None, "The forecast was not asked for.")


def check_year(text: str) -> int:
    """The pack's year from the form; ``PlacewiseError`` on the field ``year`` where it is not one of ``YEARS``."""
    if not text.strip().isdigit() or int(text) not in YEARS:
        raise PlacewiseError(f"year: choose a year from {YEARS[0]} to {YEARS[-1]} (the forecast reaches "
                             f"{MAX_HORIZON} years past January {BASE_YEAR})", field="year")
    return int(text)


def forecast_for_pack(data_dir: Path | None, councils: list[str], year: int) -> Outlook:
    """The forecast for the councils to ``year``, or None and why it is not available (said in the pack)."""
    if data_dir is None:
        return Outlook(year, None, "The forecast is not available on the embedded demo: it has no SEN2 series of "
                                   "plans. A server started with the published data (--data) forecasts them.")
    try:
        return Outlook(year, forecast_plans(data_dir, year - BASE_YEAR, councils), "")
    except PlacewiseError:
        return Outlook(year, None, "The forecast is not available for these councils: the SEN2 series does not "
                                   "hold them all (councils new since the 2023 reorganisations have no series).")


def own_deltas(run: Mapping, baseline: Mapping) -> list[dict]:
    """The run's changes that the baseline does not already make (a scenario built on the baseline repeats them)."""
    left = [dict(delta) for delta in baseline.get("deltas") or []]
    own = []
    for delta in run.get("deltas") or []:
        if dict(delta) in left:
            left.remove(dict(delta))
        else:
            own.append(dict(delta))
    return own


def effect(delta: Mapping) -> Effect:
    """What a change moves in the pack's forecast: the demand, the specialist capacity, or neither."""
    if delta.get("demand_growth"):
        return "demand"
    if any(delta.get(name) is not None for name in ("open", "close", "expand", "add_places")):
        return "capacity"
    return "neither"


def demand_factors(deltas: list[dict]) -> dict[str, float]:
    """Each need's multiplier of the forecast: the product of ``1 + rate`` over the demand changes."""
    factors: dict[str, float] = {}
    for delta in deltas:
        for need, rate in (delta.get("demand_growth") or {}).items():
            factors[str(need)] = factors.get(str(need), 1.0) * (1.0 + float(rate))
    return factors


def capacity_change(deltas: list[dict], closed_places: Mapping) -> tuple[int, int]:
    """Places the changes add (new settings, expansions, places for a need) and remove (closures, reductions)."""
    removed = sum(int(closed_places.get(str(delta["close"]), 0)) for delta in deltas if delta.get("close"))
    removed += sum(-int(places) for delta in deltas for places in (delta.get("expand") or {}).values()
                   if int(places) < 0)
    return new_places(deltas), removed


def forecast_side_by_side(forecast: Forecast, year: int, factors: Mapping[str, float], by: str) -> list[dict]:
    """Plans in January 2025 (on the model's shares), and in ``year`` as forecast and as mitigated, by need
    (``by="need"``) or age band (``by="age"``)."""
    detail = forecast.detail[forecast.detail["year"].isin([BASE_YEAR, year])]
    detail = detail.assign(mitigated=detail["plans"] * detail["need"].map(factors).fillna(1.0),
                           group=detail["need"].map(need_words) if by == "need" else detail["age"].map(age_band))
    now = detail[detail["year"] == BASE_YEAR].groupby("group")["plans"].sum()
    ahead = detail[detail["year"] == year].groupby("group")[["plans", "mitigated"]].sum()
    table = ahead.join(now.rename("now"), how="outer").fillna(0.0)
    order = BAND_ORDER if by == "age" else sorted(table.index)
    return [{"group": group, "plans_2025": float(row["now"]), "baseline": float(row["plans"]),
             "mitigated": float(row["mitigated"]), "difference": float(row["mitigated"] - row["plans"])}
            for group, row in table.reindex([group for group in order if group in table.index]).iterrows()]


def specialist_places(forecast: Forecast, year: int, factors: Mapping[str, float],
                      allocation: list[dict]) -> list[dict]:
    """By need: the baseline run's children (each needs a specialist place today, placed or not) and the places the
    forecast needs in ``year``, as forecast and as mitigated (see the module)."""
    by_year = forecast.detail.groupby(["year", "need"])["plans"].sum()
    growth = (by_year.loc[year] / by_year.loc[BASE_YEAR]).fillna(1.0)
    children = pd.DataFrame(allocation, columns=["primary_need"]).groupby("primary_need").size()
    rows = []
    for need, today in children.items():
        ratio = float(growth.get(need, 1.0))
        rows.append({"group": need_words(str(need)), "today": int(today), "baseline": today * ratio,
                     "mitigated": today * ratio * factors.get(str(need), 1.0)})
    return sorted(rows, key=lambda row: row["group"])


def summarise_forecast(forecast: Forecast | None, reason: str, year: int, baseline: Mapping,
                       mitigated: Mapping, actions: list[Mapping]) -> dict:
    """The pack's forecast section: side by side by need and age band, capacity, and each action's effect."""
    changes = own_deltas(mitigated, baseline)
    factors = demand_factors(changes)
    added, removed = capacity_change(changes, mitigated.get("closed_places") or {})
    shortfall = int((baseline["kpis"].get("unplaced_by_reason") or {}).get("capacity", 0))
    effects = [{"name": action["name"], "effects": EFFECT_WORDS[tuple(sorted(
        {effect(delta) for delta in own_deltas(action, baseline)} - {"neither"} or {"neither"}))]}
        for action in actions]
    section: dict = {"available": forecast is not None, "reason": reason, "year": year, "effects": effects,
                     "factors": {need_words(need): factor for need, factor in sorted(factors.items())},
                     "places_added": added, "places_removed": removed, "shortfall_today": shortfall}
    if forecast is None:
        return section
    places = specialist_places(forecast, year, factors, list(baseline["allocation"]))
    growth_baseline = sum(row["baseline"] - row["today"] for row in places)
    growth_mitigated = sum(row["mitigated"] - row["today"] for row in places)
    return {**section, "method": forecast.method, "by_need": forecast_side_by_side(forecast, year, factors, "need"),
            "by_age": forecast_side_by_side(forecast, year, factors, "age"), "places_by_need": places,
            "needed_baseline": shortfall + growth_baseline,
            "needed_mitigated": shortfall + growth_mitigated - added + removed}


def forecast_assumptions(outlook: Outlook) -> list[dict]:
    """The forecast's entries in the assumptions register: its source and method, and how actions move it."""
    if outlook.forecast is None:
        return [{"assumption": f"Forecast of EHC plans to January {outlook.year}", "value": "not available",
                 "source": outlook.reason}]
    return [{"assumption": f"Forecast of EHC plans to January {outlook.year}", "value": outlook.forecast.method,
             "source": SOURCE},
            {"assumption": "Mitigated forecast", "value": "the forecast with each demand change of the mitigated run "
             "applied to its need at every age: plans x (1 + rate); new, expanded or closed settings change "
             "capacity only; quotas and price caps change neither", "source": "the actions' own scenarios"},
            {"assumption": "Specialist places needed", "value": "the children of each need who need a specialist "
             "place today (the baseline run's), grown as the forecast plans of the need grow; capacity needed is "
             "today's shortfall for want of places plus that growth, less the places the actions add, plus those "
             "they remove (in total, not by need)", "source": "the baseline run and the forecast"}]


def forecast_frames(section: Mapping) -> dict[str, pd.DataFrame]:
    """The forecast section as sheets of the pack's workbook: numbers as numbers, units in the headers."""
    year = section["year"]
    if not section["available"]:
        return {"Forecast": pd.DataFrame([{"forecast": "not available", "why": section["reason"]}])}

    def plans(rows: list[dict], label: str) -> pd.DataFrame:
        return pd.DataFrame([{label: row["group"], "plans, January 2025 (plans)": round(row["plans_2025"]),
                              f"plans, January {year}, baseline forecast (plans)": round(row["baseline"]),
                              f"plans, January {year}, mitigated forecast (plans)": round(row["mitigated"]),
                              "mitigated less baseline (plans)": round(row["difference"])} for row in rows])

    places = pd.DataFrame([{"need": row["group"], "needing a specialist place today, baseline run (children)":
                            row["today"],
                            f"needed in {year}, baseline forecast (places)": round(row["baseline"]),
                            f"needed in {year}, mitigated forecast (places)": round(row["mitigated"])}
                           for row in section["places_by_need"]])
    capacity = pd.DataFrame([
        {"figure": "children without a place today for want of capacity (baseline run)", "places":
         section["shortfall_today"]},
        {"figure": "places the mitigated run's actions add", "places": section["places_added"]},
        {"figure": "places its actions remove (closures, reductions)", "places": section["places_removed"]},
        {"figure": f"capacity needed (+) or released (-) by {year}, baseline forecast",
         "places": round(section["needed_baseline"])},
        {"figure": f"capacity needed (+) or released (-) by {year}, mitigated", "places":
         round(section["needed_mitigated"])}])
    return {"Forecast by need": plans(section["by_need"], "need"),
            "Forecast by age band": plans(section["by_age"], "age band"), "Specialist places": places,
            "Capacity": capacity}
