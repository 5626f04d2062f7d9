"""A scenario's capacity plan: forecast growth in low-incidence needs, located, against existing places and
candidate units at the sub-region's special schools (or inclusion bases at its mainstream secondary schools,
``plan.sites: mainstream_secondary``); and sweeps of many variants on Dask.

Demand is the growth to the plan's year: forecast plans of each need (by council) less January 2025's, times the
share who need a specialist place, spread over the council's MSOAs (drawn with the scenario's seed). Existing
settings designated for the need offer their free places; each special school the councils host is a candidate
site for a unit of ``places_per_site`` places for all the plan's needs. See ``matcher.planning``.
"""

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from geodata.areas import load_council_msoas
from geodata.coords import in_england_box
from geodata.mainstream import load_mainstream_secondaries
from geodata.tables import read_csv_checked
from matcher.costs import AVERAGE_JOURNEY_KM, CostModel
from matcher.planning.sites import Plan, PlanningInstance, TransportCost, plan_sites
from matcher.solve_control import SolveControl
from matcher.transport import journey_costs
from matcher.travel.straight_line import StraightLineTravel
from scenarios.forecast import Z_80, Forecast, forecast_plans
from scenarios.inputs import load_inputs
from scenarios.provider_pool import scenario_providers
from scenarios.schema import DEFAULT_SPECIALIST_SHARE, PlanSpec, Scenario

STATE_SPECIAL = ("special_maintained", "special_academy")


@dataclass(frozen=True, eq=False)
class PlanRun:
    scenario: Scenario
    instance: PlanningInstance
    plan: Plan
    forecast: Forecast | None  # None on the embedded demo, which has no SEN2 series
    costs: CostModel


def prepare(scenario: Scenario) -> tuple[PlanningInstance, Forecast | None, CostModel, pd.DataFrame]:
    """The planning instance of a scenario (central forecast), the forecast, the costs and the growth table; on the
    embedded demo, which has no forecast, the demo's own children of the plan's needs (``demo_demand``)."""
    spec = _plan_spec(scenario)
    data_dir = scenario.data_dir()
    inputs = load_inputs(data_dir)
    providers = scenario_providers(scenario.model_copy(update={"capacity": "vacancies"}), inputs)  # free places
    if data_dir is None:
        assert inputs.demo_children is not None
        demand = demo_demand(inputs.demo_children, scenario, spec)
        instance = PlanningInstance(demand=demand, existing=_existing(providers, spec, inputs.costs),
                                    sites=_sites(providers, spec, inputs.costs, scenario.councils),
                                    fallback_cost_gbp=fallback_cost(inputs.costs))
        return instance, None, inputs.costs, demand
    forecast = forecast_plans(data_dir, spec.year - 2025, list(scenario.councils), list(spec.needs))
    growth = demand_growth(forecast, spec, np.ones(len(scenario.councils)), list(scenario.councils))
    sites = (read_candidate_sites(scenario.base_dir / spec.candidate_sites, spec, inputs.costs)
             if spec.candidate_sites is not None else
             base_sites(load_mainstream_secondaries(data_dir), spec, inputs.costs, scenario.councils)
             if spec.sites == "mainstream_secondary" else _sites(providers, spec, inputs.costs, scenario.councils))
    instance = PlanningInstance(
        demand=locate_demand(growth, load_council_msoas(data_dir), spec, scenario.cohort.seed),
        existing=_existing(providers, spec, inputs.costs), sites=mark_required(sites, spec.required_sites),
        fallback_cost_gbp=fallback_cost(inputs.costs))
    return instance, forecast, inputs.costs, growth


def run_plan(scenario: Scenario, control: SolveControl | None = None) -> PlanRun:
    """Plan the scenario's sites under its ``plan:`` section (the best found by ``control``'s deadline or cancel,
    said in the plan's ``search``)."""
    spec = _plan_spec(scenario)
    instance, forecast, costs, _ = prepare(scenario)
    plan = plan_sites(instance, StraightLineTravel(), transport_model(costs), spec.max_sites, spec.budget_gbp,
                      control)
    return PlanRun(scenario, instance, plan, forecast, costs)


def demand_growth(forecast: Forecast, spec: PlanSpec, scale: np.ndarray, councils: list[str]) -> pd.DataFrame:
    """Children needing a new specialist place by council and need: (forecast x scale - 2025) x share, >= 0.

    Both years come from the same model (2025 is the last count on the same age and need shares), so plans of
    unrecorded need, spread over the known needs alike, never show up as growth.
    """
    by_year = forecast.detail.groupby(["year", "council", "need"])["plans"].sum()
    future = by_year.loc[spec.year]
    future = future * pd.Series(scale, index=councils).reindex(future.index.get_level_values(0)).to_numpy()
    now = by_year.loc[2025]
    growth = (future - now.reindex(future.index).fillna(0)).clip(lower=0).rename("growth").reset_index()
    share = growth["need"].map(lambda need: spec.specialist_share.get(need, DEFAULT_SPECIALIST_SHARE.get(need, 0.5)))
    return growth.assign(children=growth["growth"] * share)


def locate_demand(growth: pd.DataFrame, msoas: pd.DataFrame, spec: PlanSpec, seed: int) -> pd.DataFrame:
    """Spread each council's children of each need over its MSOA centroids (rounded, drawn with the seed)."""
    rng = np.random.default_rng(seed)
    rows = []
    for row in growth.itertuples():
        homes = msoas[msoas["council"] == row.council]
        count = int(rng.poisson(row.children)) if row.children > 0 else 0
        if not count or homes.empty:
            continue
        drawn = np.bincount(rng.integers(0, len(homes), count), minlength=len(homes))
        for position in np.flatnonzero(drawn):
            rows.append({"demand_id": f"{homes.index[position]}-{row.need}", "council": row.council,
                         "need": row.need, "children": int(drawn[position]),
                         "easting": float(homes["easting"].iat[position]),
                         "northing": float(homes["northing"].iat[position]), "cap_minutes": spec.cap_minutes})
    columns = ["demand_id", "council", "need", "children", "easting", "northing", "cap_minutes"]
    return pd.DataFrame(rows, columns=columns).set_index("demand_id")


def demo_demand(children: pd.DataFrame, scenario: Scenario, spec: PlanSpec) -> pd.DataFrame:
    """The embedded demo's demand, for want of a forecast: each demo child of the plan's needs (of the scenario's
    councils and ages) who needs a specialist place with the plan's share for the need (drawn with the cohort's
    seed), at home (a child a row)."""
    rng = np.random.default_rng(scenario.cohort.seed)
    chosen = children[children["home_council"].isin(scenario.councils) & children["primary_need"].isin(spec.needs)
                      & children["age"].between(*scenario.cohort.ages)]
    share = chosen["primary_need"].map(lambda need: spec.specialist_share.get(need, DEFAULT_SPECIALIST_SHARE.get(
        need, 0.5))).to_numpy(float)
    chosen = chosen[rng.random(len(chosen)) < share]
    return pd.DataFrame({"council": chosen["home_council"].to_numpy(), "need": chosen["primary_need"].to_numpy(),
                         "children": 1, "easting": chosen["easting"].to_numpy(float),
                         "northing": chosen["northing"].to_numpy(float), "cap_minutes": spec.cap_minutes},
                        index=pd.Index([f"{child}-{need}" for child, need in zip(chosen.index, chosen["primary_need"],
                                                                                 strict=True)], name="demand_id"))


def fallback_cost(costs: CostModel) -> float:
    """Today's default for a child no local setting can take: a distant independent place and its journey."""
    independent = costs.kind_cost("independent_special")
    return independent + float(journey_costs(costs, "national", np.array([2 * AVERAGE_JOURNEY_KM]))[0])


def transport_model(costs: CostModel) -> TransportCost:
    """Annual transport cost a child by distance: the national journey cost, the average mix of modes."""
    return partial(_national_transport, costs)


def _national_transport(costs: CostModel, km: np.ndarray) -> np.ndarray:
    return journey_costs(costs, "national", km)


def _plan_spec(scenario: Scenario) -> PlanSpec:
    if scenario.plan is None:
        raise PlacewiseError("plan: this scenario has no plan: section (needs, year, places_per_site, ...)")
    return scenario.plan


def _existing(providers: pd.DataFrame, spec: PlanSpec, costs: CostModel) -> pd.DataFrame:
    needs = providers["designated_needs"].map(lambda designated: tuple(n for n in designated if n in spec.needs))
    free = np.floor(pd.to_numeric(providers["vacancies"], errors="coerce").fillna(0).clip(lower=0)
                    * spec.existing_free_share).astype(int)
    table = providers.assign(needs=needs, free_places=free,
                             place_cost_gbp=[costs.kind_cost(kind) for kind in providers["kind"]])
    table = table[(table["needs"].map(len) > 0) & (table["free_places"] > 0) & table["easting"].notna()]
    return table[["easting", "northing", "needs", "free_places", "place_cost_gbp"]]


def _sites(providers: pd.DataFrame, spec: PlanSpec, costs: CostModel, scenario_councils: tuple[str, ...],
           ) -> pd.DataFrame:
    schools = providers[providers["kind"].isin(STATE_SPECIAL) & providers["easting"].notna()
                        & providers["host_council"].isin(scenario_councils)]
    if schools.empty:
        raise PlacewiseError("plan: the councils host no state special school with coordinates to add a unit to")
    band = float(costs.band_gbp["national"])
    return pd.DataFrame({"easting": schools["easting"].to_numpy(float), "northing": schools["northing"].to_numpy(float),
                         "needs": [tuple(spec.needs)] * len(schools), "places": spec.places_per_site,
                         "fixed_cost_gbp": spec.fixed_cost_gbp, "place_cost_gbp": band,
                         "name": schools["name"].to_numpy()},
                        index=pd.Index([f"{provider_id}-unit" for provider_id in schools.index], name="site_id"))


def base_sites(schools: pd.DataFrame, spec: PlanSpec, costs: CostModel, councils: tuple[str, ...]) -> pd.DataFrame:
    """An inclusion base of ``places_per_site`` places for the plan's needs at each state mainstream secondary
    school the councils host (with at least ``min_on_roll`` pupils), priced as an inclusion base place."""
    chosen = schools[schools["council"].isin(councils) & (schools["on_roll"].fillna(0) >= spec.min_on_roll)]
    if chosen.empty:
        raise PlacewiseError("plan: the councils host no mainstream secondary school with coordinates (and enough "
                             "pupils on roll, min_on_roll) to add an inclusion base to")
    return pd.DataFrame({"easting": chosen["easting"].to_numpy(float), "northing": chosen["northing"].to_numpy(float),
                         "needs": [tuple(spec.needs)] * len(chosen), "places": spec.places_per_site,
                         "fixed_cost_gbp": spec.fixed_cost_gbp, "place_cost_gbp": costs.kind_cost("inclusion_base"),
                         "name": chosen["name"].to_numpy(), "kind": "inclusion_base"},
                        index=pd.Index([f"{urn}-base" for urn in chosen.index], name="site_id"))


REQUIRED_WORDS = {"yes": True, "no": False, "": False, "true": True, "false": False}


def mark_required(sites: pd.DataFrame, required: tuple[str, ...]) -> pd.DataFrame:
    """The sites with ``required`` True for those the plan names (or a candidate file marks).

    Raises:
        PlacewiseError: naming a required site that is not among the candidates.
    """
    unknown = [site for site in required if site not in sites.index.astype(str)]
    if unknown:
        raise PlacewiseError(f"plan.required_sites: {', '.join(unknown[:5])} not among the candidate sites; give "
                             "the site_id of a candidate (a special school's URN and '-unit', or a secondary "
                             "school's and '-base')")
    marked = sites["required"].fillna(False).astype(bool) if "required" in sites else pd.Series(False,
                                                                                                 index=sites.index)
    return sites.assign(required=marked.to_numpy() | sites.index.astype(str).isin(required))


def read_candidate_sites(path: Path, spec: PlanSpec, costs: CostModel) -> pd.DataFrame:
    """Candidate sites from a CSV; every row needs coordinates in England, places and a fixed cost."""
    table = read_csv_checked(path, ["site_id", "easting", "northing", "places", "fixed_cost_gbp"])
    numbers = table[["easting", "northing", "places", "fixed_cost_gbp"]].apply(pd.to_numeric, errors="coerce")
    for column in numbers.columns:
        values = numbers[column]
        bad = numbers.index[~np.isfinite(values) | (values < 0) | ((column == "places") & (values % 1 != 0))]
        if len(bad):
            raise PlacewiseError(f"{path} row {bad[0] + 2}: {column}: give a finite number of zero or more, places "
                                 "a whole number (every site needs coordinates in EPSG:27700, places and a fixed "
                                 "cost)")
    outside = numbers.index[~in_england_box(numbers["easting"], numbers["northing"])]
    if len(outside):
        raise PlacewiseError(f"{path} row {outside[0] + 2}: easting/northing: the site must lie in England")
    if table["site_id"].duplicated().any():
        raise PlacewiseError(f"{path}: site_id: each site once")
    required = table.get("required", pd.Series("", index=table.index)).fillna("").astype(str).str.strip().str.lower()
    if (~required.isin(REQUIRED_WORDS)).any():
        row = int(np.flatnonzero(~required.isin(REQUIRED_WORDS).to_numpy())[0])
        raise PlacewiseError(f"{path} row {row + 2}: required: give yes or no (empty: no)")
    return pd.DataFrame({"easting": numbers["easting"].to_numpy(), "northing": numbers["northing"].to_numpy(),
                         "needs": [tuple(spec.needs)] * len(table), "places": numbers["places"].astype(int).to_numpy(),
                         "fixed_cost_gbp": numbers["fixed_cost_gbp"].to_numpy(),
                         "place_cost_gbp": float(costs.band_gbp["national"]),
                         "name": table.get("name", table["site_id"]).astype(str).to_numpy(),
                         "required": required.map(REQUIRED_WORDS).to_numpy(dtype=bool)},
                        index=pd.Index(table["site_id"].astype(str), name="site_id"))


def interval_spread(forecast: Forecast, year: int, councils: list[str]) -> np.ndarray:
    """Each council's forecast spread in logs (from its 80% interval), for drawing demand variants."""
    totals = forecast.totals[forecast.totals["year"] == year].set_index("council").reindex(councils)
    return ((np.log(totals["high80"]) - np.log(totals["low80"])) / (2 * Z_80)).fillna(0.0).to_numpy()


